import { illegalTransition } from './errors';

/** One legal move of a small state machine: the states it may start from and where it leads. */
export interface Move<S extends string> {
  from: readonly S[];
  to: S;
}

/**
 * Applies one module's transition table: the state after `action`, or ILLEGAL_TRANSITION
 * naming `field` with where the record stands and where the move is allowed from
 * (also in `extensions.from` / `extensions.action`). Each module keeps its own table.
 */
export function nextState<A extends string, S extends string>(table: Record<A, Move<S>>, action: A, current: S, noun: string, field = 'id'): S {
  const move = table[action];
  if (!move.from.includes(current)) {
    throw illegalTransition(`${field}: cannot ${action} ${noun} that is ${current} (allowed from ${move.from.join(', ')})`, { from: current, action, field });
  }
  return move.to;
}

import type { SelectionProblem } from './select';

/**
 * Branch-and-bound over communities for the selection problem (see select.ts).
 *
 * 1. Options: for each community, the subsets of its items that respect the community caps,
 *    with dominated ones dropped (another subset is no dearer, worth at least as much and serves
 *    at least the same required groups). Weights add up, so a dominated subset can never be
 *    part of a better selection.
 * 2. Bound: relaxing the budget with a price λ ≥ 0 per unit splits the problem by community:
 *    for every λ, λ·room + Σ_c max_o (value_o − λ·weight_o) is an upper bound on what the
 *    communities still to decide can add (weak Lagrangian duality). λ* minimises it at the root;
 *    a handful of prices around λ* are kept with their suffix sums so a node's bound costs O(#λ).
 *    A required group not yet served lowers the bound by the least any remaining community loses
 *    by switching to an option that serves it.
 * 3. Search: communities with the most at stake first; in each, options by reduced value
 *    v − λ*·w, so once one option's bound falls below the best selection found, the rest of the
 *    community's options do too.
 */

interface Option {
  items: number[];
  weight: number;
  value: number;
  mask: number;
}

export interface SearchOutcome {
  chosen: number[] | null;
  nodes: number;
  exhausted: boolean;
  /** Largest bound among subtrees left unexplored when the node limit hit (0 otherwise). */
  openBound: number;
  /** The Lagrangian bound at the root (before any choice). */
  rootBound: number;
  options: number;
}

/** Subsets of `members` within the caps, dominated ones removed; always includes the empty one. */
export function communityOptions(problem: SelectionProblem, members: readonly number[], weightLimit: number): Option[] {
  const required = problem.requiredGroups ?? 0;
  const maxCount = problem.maxCountPerCommunity ?? Infinity;
  let options: Option[] = [{ items: [], weight: 0, value: 0, mask: 0 }];
  for (const i of members) {
    const item = problem.items[i];
    const extended: Option[] = [];
    for (const option of options) {
      if (option.items.length < maxCount && option.weight + item.weight <= weightLimit) {
        extended.push({ items: [...option.items, i], weight: option.weight + item.weight, value: option.value + item.value, mask: option.mask | (item.groups & required) });
      }
    }
    // While options may still grow, fewer items is an advantage under a count cap.
    options = undominated(options.concat(extended), Number.isFinite(maxCount));
  }
  return undominated(options, false);
}

/** Removes options another one dominates (no heavier, no less valuable, a superset of groups, and — when `byCount` — no more items). */
function undominated(options: Option[], byCount: boolean): Option[] {
  // Masks are small bit sets (≤ 2^groups) and counts small: one number per class.
  const classKey = (o: Option) => (byCount ? o.mask * 65536 + o.items.length : o.mask);
  const classes = new Map<number, Option[]>();
  for (const option of options) {
    const key = classKey(option);
    const list = classes.get(key);
    if (list) list.push(option);
    else classes.set(key, [option]);
  }
  // Within a class: the staircase of strictly rising value by rising weight.
  const fronts: { mask: number; count: number; list: Option[] }[] = [];
  for (const list of classes.values()) {
    list.sort((a, b) => a.weight - b.weight || b.value - a.value);
    const kept: Option[] = [];
    for (const option of list) if (kept.length === 0 || option.value > kept[kept.length - 1].value) kept.push(option);
    fronts.push({ mask: kept[0].mask, count: byCount ? kept[0].items.length : 0, list: kept });
  }
  // Across classes: drop an option when a class with a superset of groups (and no more items) has one no heavier and at least as valuable.
  // (Which classes can dominate which is decided once per pair of classes, not once per option.)
  const result: Option[] = [];
  for (const front of fronts) {
    const dominators = fronts.filter((other) => other !== front && (other.mask & front.mask) === front.mask && other.count <= front.count);
    for (const option of front.list) {
      let dominated = false;
      for (const other of dominators) {
        const value = bestValueUpTo(other.list, option.weight);
        // Equal options in two classes: the one with the larger mask (or fewer items) wins, so exactly one survives.
        if (value > option.value || (value === option.value && value !== -Infinity)) {
          dominated = true;
          break;
        }
      }
      if (!dominated) result.push(option);
    }
  }
  return result;
}

/** Highest value among the staircase options weighing at most `weight` (its last such step). */
function bestValueUpTo(list: Option[], weight: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -Infinity;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].weight <= weight) {
      found = list[mid].value;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const PRICE_FACTORS = [0, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2, 3];

export function searchByCommunity(problem: SelectionProblem, globalBound: number, incumbent: number[] | null, nodeLimit: number): SearchOutcome {
  const items = problem.items;
  const required = problem.requiredGroups ?? 0;
  const capacity = problem.capacity;
  const weightLimit = Math.min(capacity, problem.maxWeightPerCommunity ?? Infinity);
  const byCommunity = new Map<number, number[]>();
  items.forEach((item, i) => {
    if (item.weight > weightLimit) return;
    if (!(item.value > 0) && (item.groups & required) === 0) return;
    const list = byCommunity.get(item.community);
    if (list) list.push(i);
    else byCommunity.set(item.community, [i]);
  });
  const communities = [...byCommunity.entries()].map(([, members]) => communityOptions(problem, members, weightLimit));
  const optionCount = communities.reduce((sum, list) => sum + list.length, 0);

  // λ*: minimise L(λ) = λ·capacity + Σ_c max_o (v_o − λ w_o), convex and piecewise linear, by ternary search.
  const best = (list: Option[], lambda: number) => list.reduce((m, o) => Math.max(m, o.value - lambda * o.weight), 0);
  const L = (lambda: number) => lambda * capacity + communities.reduce((sum, list) => sum + best(list, lambda), 0);
  let hi = 0;
  for (const list of communities) for (const o of list) if (o.weight > 0) hi = Math.max(hi, o.value / o.weight);
  let lo = 0;
  for (let step = 0; step < 60 && hi - lo > 1e-12 * Math.max(1, hi); step++) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (L(a) <= L(b)) hi = b;
    else lo = a;
  }
  const lambdaStar = lo;
  const prices = [...new Set(PRICE_FACTORS.map((f) => f * lambdaStar))];

  // Most at stake first: the spread between a community's best and worst reduced value at λ*.
  const stake = (list: Option[]) => best(list, lambdaStar);
  const order = communities.map((_, c) => c).sort((a, b) => stake(communities[b]) - stake(communities[a]) || a - b);
  const lists = order.map((c) => [...communities[c]].sort((x, y) => y.value - lambdaStar * y.weight - (x.value - lambdaStar * x.weight) || x.weight - y.weight));
  const m = lists.length;

  // Per price: suffix sums of the best reduced values, and the least total loss (against each
  // community's best) of serving any set of required groups with the communities from k on:
  // loss[k][M] = min over a mask t offered at k of (best_k − best_k(t)) + loss[k+1][M \ t].
  const full = required;
  const maskIndex = (mask: number) => compress(mask, required);
  const width = 1 << bitCount(required);
  const suffix = prices.map((lambda) => {
    const sums = new Float64Array(m + 1);
    const loss: Float64Array[] = Array.from({ length: m + 1 }, () => new Float64Array(width).fill(Infinity));
    loss[m][0] = 0;
    for (let k = m - 1; k >= 0; k--) {
      const top = best(lists[k], lambda);
      sums[k] = sums[k + 1] + top;
      const byMask = new Map<number, number>();
      for (const o of lists[k]) byMask.set(o.mask, Math.max(byMask.get(o.mask) ?? -Infinity, o.value - lambda * o.weight));
      for (let missing = full; ; missing = (missing - 1) & full) {
        let least = Infinity;
        for (const [mask, reduced] of byMask) least = Math.min(least, top - reduced + loss[k + 1][maskIndex(missing & ~mask)]);
        loss[k][maskIndex(missing)] = least;
        if (missing === 0) break;
      }
    }
    return { lambda, sums, loss };
  });
  const starSums = suffix[prices.indexOf(lambdaStar)].sums;

  let bestValue = incumbent ? incumbent.reduce((sum, i) => sum + items[i].value, 0) : -Infinity;
  let bestChosen = incumbent ? [...incumbent] : null;
  // Values are sums of floating-point benefits: compare with a tolerance relative to their scale.
  const tolerance = 1e-9 * Math.max(1, items.reduce((sum, item) => sum + Math.max(0, item.value), 0));
  let nodes = 0;
  let exhausted = true;
  let openBound = 0;
  const stack: Option[] = [];

  const bound = (k: number, room: number, value: number, covered: number): number => {
    const missing = maskIndex(required & ~covered);
    let result = Infinity;
    for (const { lambda, sums, loss } of suffix) result = Math.min(result, value + lambda * room + sums[k] - loss[k][missing]);
    return result;
  };

  const visit = (k: number, room: number, value: number, covered: number, stopAt: number): void => {
    if (++nodes > nodeLimit) {
      exhausted = false;
      openBound = Math.max(openBound, bound(k, room, value, covered));
      return;
    }
    if (bestValue >= stopAt - tolerance) return;
    if (k === m) {
      if ((required & ~covered) === 0 && value > bestValue + tolerance) {
        bestValue = value;
        bestChosen = stack.flatMap((o) => o.items).sort((a, b) => a - b);
      }
      return;
    }
    // Also prunes when the required groups can no longer be served (the loss is infinite).
    if (!(bound(k, room, value, covered) > bestValue + tolerance)) return;
    for (const option of lists[k]) {
      if (option.weight > room) continue;
      // Options come by falling reduced value at λ*: once this bound fails, every later one's does.
      if (value + option.value + lambdaStar * (room - option.weight) + starSums[k + 1] <= bestValue + tolerance) break;
      stack.push(option);
      visit(k + 1, room - option.weight, value + option.value, covered | option.mask, stopAt);
      stack.pop();
      if (!exhausted && nodes > nodeLimit) {
        // Out of nodes: the siblings not tried are open too.
        openBound = Math.max(openBound, bound(k, room, value, covered));
        return;
      }
    }
  };
  const rootBound = bound(0, capacity, 0, 0);
  const stopAt = Math.min(globalBound, rootBound);
  visit(0, capacity, 0, 0, stopAt);
  return { chosen: bestChosen, nodes, exhausted, openBound, rootBound, options: optionCount };
}

/** The bits of `mask` that are set in `within`, packed to the low end (so masks index small tables). */
export function compress(mask: number, within: number): number {
  let out = 0;
  let position = 0;
  for (let bit = 1; bit <= within; bit <<= 1) {
    if (within & bit) {
      if (mask & bit) out |= 1 << position;
      position++;
    }
  }
  return out;
}

export function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m; m &= m - 1) count++;
  return count;
}

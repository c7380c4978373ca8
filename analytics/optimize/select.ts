import { bitCount, communityOptions, compress, searchByCommunity } from './community-search';
import { mckpTable, mckpWork, solveMckp, type ClassOption, type MckpResult } from './mckp';

/**
 * Exact selection under a budget with side constraints:
 *
 *   maximise Σ value_i x_i
 *   subject to Σ weight_i x_i ≤ capacity                     (the budget, in cost units)
 *              for every required group g: Σ_{i covers g} x_i ≥ 1
 *              for every community c: Σ_{i in c} x_i ≤ maxCount, Σ_{i in c} weight_i x_i ≤ maxWeight
 *              x_i ∈ {0, 1}
 *
 * Method (all exact; optimal for costs rounded to whole units):
 * - No community caps: the 0/1 knapsack by dynamic programming, each item a class of its own,
 *   after fixing the items whose LP bounds decide them (solveReduced): only the items near the
 *   break-even ratio reach the table.
 * - Community caps: a multiple-choice knapsack by dynamic programming over communities, each
 *   community a class whose options are its subsets within the caps, dominated ones dropped
 *   (community-search.ts). With a count cap of 3 a community has ~15-20 such options.
 * - Required groups: solved lazily. The first round ignores them; if the answer misses a group,
 *   the DP gains a layer per combination of the groups missed so far ("at least these served")
 *   and runs again. Each round solves a relaxation, so the first answer serving every group is
 *   the optimum; at most one round per group.
 * - With community caps a branch-and-bound over communities (Lagrangian bounds, from the greedy
 *   answers) runs first for a few thousand nodes: it usually proves the optimum before the DP
 *   would have filled its table.
 * - When a table would exceed `maxWork` cells, the best the search found is returned with
 *   `workLimited` set (not proven), so the caller can retry with a coarser cost unit; a node limit
 *   is likewise reported (provenOptimal = false, with the gap) rather than hidden.
 */

export interface SelectionItem {
  /** Cost in whole units (see costToUnits), ≥ 0. */
  weight: number;
  /** Benefit, ≥ 0. */
  value: number;
  /** Bitmask of the groups it serves (only the bits of `requiredGroups` matter). */
  groups: number;
  /** Index of its community (for the per-community caps). */
  community: number;
  /**
   * Its cost before rounding (yuan), when known: what the greedy rule ranks benefit per (people
   * compare benefit per yuan, not per rounded unit). Constraints and bounds always use `weight`.
   */
  cost?: number;
}

export interface SelectionProblem {
  items: readonly SelectionItem[];
  capacity: number;
  requiredGroups?: number;
  maxCountPerCommunity?: number | null;
  maxWeightPerCommunity?: number | null;
  /** Search nodes before giving up on a proof (default 500,000). */
  nodeLimit?: number;
  /** AUTO (default); SEARCH: the branch-and-bound only; DP: the DP only (tests compare all three). */
  strategy?: 'AUTO' | 'SEARCH' | 'DP';
  /** DP cell updates allowed (default DEFAULT_MAX_WORK); past it the answer is the search's, with workLimited set. */
  maxWork?: number;
}

/** How a selection was solved: the API's SelectionMethod enum (src/modules/project/suggestion.types.ts) is this list. */
export const SELECTION_METHODS = ['DYNAMIC_PROGRAMMING', 'MULTIPLE_CHOICE_DP', 'BRANCH_AND_BOUND', 'TRIVIAL'] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

export interface SelectionResult {
  /** Indices into `items`, ascending. Empty (and feasible false) when nothing meets the constraints. */
  chosen: number[];
  value: number;
  weight: number;
  /** Whether a selection meeting every constraint was found. */
  feasible: boolean;
  /** Whether `value` is proven to be the optimum (false only when the node limit was reached). */
  provenOptimal: boolean;
  /** The best upper bound known on the optimum (equal to value when proven). */
  upperBound: number;
  method: SelectionMethod;
  nodes: number;
  dpCells: number;
  /** Required groups the DP had to track as layers (those a relaxed answer missed). */
  groupLayers: number;
  /** The DP would have needed more than maxWork cells and the search did not prove its answer: coarsen the unit and retry. */
  workLimited: boolean;
}

const DEFAULT_NODE_LIMIT = 500_000;

/** Whether `chosen` meets the capacity, group and community constraints. */
export function meetsConstraints(problem: SelectionProblem, chosen: readonly number[]): boolean {
  const { items } = problem;
  let weight = 0;
  let covered = 0;
  const count = new Map<number, number>();
  const spent = new Map<number, number>();
  for (const i of chosen) {
    const item = items[i];
    weight += item.weight;
    covered |= item.groups;
    count.set(item.community, (count.get(item.community) ?? 0) + 1);
    spent.set(item.community, (spent.get(item.community) ?? 0) + item.weight);
  }
  if (weight > problem.capacity) return false;
  const required = problem.requiredGroups ?? 0;
  if ((covered & required) !== required) return false;
  if (problem.maxCountPerCommunity != null && [...count.values()].some((n) => n > problem.maxCountPerCommunity!)) return false;
  if (problem.maxWeightPerCommunity != null && [...spent.values()].some((w) => w > problem.maxWeightPerCommunity!)) return false;
  return true;
}

function valueOf(items: readonly SelectionItem[], chosen: readonly number[]): number {
  return chosen.reduce((sum, i) => sum + items[i].value, 0);
}

function weightOf(items: readonly SelectionItem[], chosen: readonly number[]): number {
  return chosen.reduce((sum, i) => sum + items[i].weight, 0);
}

/** Items in benefit/cost order (free items first), ties by value then index: the order the greedy and the search use. */
export function ratioOrder(items: readonly SelectionItem[]): number[] {
  const ratio = (item: SelectionItem) => (item.weight === 0 ? (item.value > 0 ? Infinity : 0) : item.value / item.weight);
  return items.map((_, i) => i).sort((a, b) => ratio(items[b]) - ratio(items[a]) || items[b].value - items[a].value || a - b);
}

/**
 * The greedy rule's order: benefit per yuan (`cost`, else `weight`), free items first, ties by value
 * then index. Not ratioOrder, whose per-unit ratio the LP bounds need: per unit, 10,001 yuan and
 * 11,000 yuan are both 11 units of 1,000, and the rule said to be "benefit per yuan" took the worse
 * ratio first.
 */
function greedyOrder(items: readonly SelectionItem[]): number[] {
  const ratio = (item: SelectionItem) => {
    const cost = item.cost ?? item.weight;
    return cost > 0 ? item.value / cost : item.value > 0 ? Infinity : 0;
  };
  return items.map((_, i) => i).sort((a, b) => ratio(items[b]) - ratio(items[a]) || items[b].value - items[a].value || a - b);
}

export interface GreedyResult {
  chosen: number[];
  value: number;
  weight: number;
  feasible: boolean;
  /** Items added by the repair pass for groups the ratio pass missed. */
  addedForGroups: number[];
}

/**
 * The benefit/cost-ratio greedy people use by hand: take items in ratio order (greedyOrder) while they fit
 * (budget and community caps); then, for each required group still uncovered, add the best-ratio
 * item serving it that still fits. `feasible` is false when a group stays uncovered.
 * `groupsFirst` serves the required groups before filling instead.
 */
export function greedySelection(problem: SelectionProblem, groupsFirst = false): GreedyResult {
  const { items } = problem;
  const order = greedyOrder(items);
  const chosen: number[] = [];
  const taken = new Uint8Array(items.length);
  const count = new Map<number, number>();
  const spent = new Map<number, number>();
  let weight = 0;
  const fits = (i: number) => {
    const item = items[i];
    if (weight + item.weight > problem.capacity) return false;
    if (problem.maxCountPerCommunity != null && (count.get(item.community) ?? 0) + 1 > problem.maxCountPerCommunity) return false;
    if (problem.maxWeightPerCommunity != null && (spent.get(item.community) ?? 0) + item.weight > problem.maxWeightPerCommunity) return false;
    return true;
  };
  const take = (i: number) => {
    const item = items[i];
    chosen.push(i);
    taken[i] = 1;
    weight += item.weight;
    count.set(item.community, (count.get(item.community) ?? 0) + 1);
    spent.set(item.community, (spent.get(item.community) ?? 0) + item.weight);
  };
  const addedForGroups: number[] = [];
  const required = problem.requiredGroups ?? 0;
  const serveMissingGroups = () => {
    for (let bit = 1; bit <= required; bit <<= 1) {
      if (!(required & bit) || chosen.some((i) => items[i].groups & bit)) continue;
      const pick = order.find((i) => !taken[i] && items[i].groups & bit && fits(i));
      if (pick !== undefined) {
        take(pick);
        addedForGroups.push(pick);
      }
    }
  };
  // The hand method fills by ratio and then patches the groups; the other order (groups first)
  // is what the exact search starts from, because it finds a feasible answer more often.
  if (groupsFirst) serveMissingGroups();
  for (const i of order) if (!taken[i] && items[i].value > 0 && fits(i)) take(i);
  if (!groupsFirst) serveMissingGroups();
  chosen.sort((a, b) => a - b);
  return { chosen, value: valueOf(items, chosen), weight, feasible: meetsConstraints(problem, chosen), addedForGroups };
}

/** The better feasible one of the two greedy orders (ratio first, groups first), or undefined: where the exact methods start from. */
function bestGreedy(problem: SelectionProblem): GreedyResult | undefined {
  return [greedySelection(problem), greedySelection(problem, true)].filter((g) => g.feasible).sort((x, y) => y.value - x.value)[0];
}

/** DP cell updates allowed per solve unless the problem says otherwise (≈ 0.1-0.2 s on an idle core here). */
export const DEFAULT_MAX_WORK = 80_000_000;
/** Nodes the branch-and-bound gets first when there are community caps (it often proves the optimum fast). */
const QUICK_SEARCH_NODES = 20_000;

/** Solves the selection problem exactly (see the file comment). */
export function solveSelection(problem: SelectionProblem): SelectionResult {
  const { items } = problem;
  const required = problem.requiredGroups ?? 0;
  if (items.length === 0) {
    return { chosen: [], value: 0, weight: 0, feasible: required === 0, provenOptimal: true, upperBound: 0, method: 'TRIVIAL', nodes: 0, dpCells: 0, groupLayers: 0, workLimited: false };
  }
  const capped = problem.maxCountPerCommunity != null || problem.maxWeightPerCommunity != null;
  const strategy = problem.strategy ?? 'AUTO';
  if (strategy === 'SEARCH') return search(problem, problem.nodeLimit ?? DEFAULT_NODE_LIMIT, 0, 0);
  if (!capped && strategy === 'AUTO') {
    const reduced = solveReduced(problem);
    if (reduced) return reduced;
  }
  // With caps, a short branch-and-bound first: Lagrangian bounds are tight there and often prove the optimum in a few thousand nodes.
  const quick = capped && strategy === 'AUTO' ? search(problem, QUICK_SEARCH_NODES, 0, 0) : null;
  if (quick?.provenOptimal) return quick;
  // Groups become DP layers only once an answer misses them: each round solves a relaxation
  // (only the groups tracked so far are required), so an answer serving every group is optimal.
  let tracked = 0;
  let cells = 0;
  const maxWork = problem.maxWork ?? DEFAULT_MAX_WORK;
  for (;;) {
    const classes = buildClasses(problem, tracked, capped);
    const groupCount = bitCount(tracked);
    const work = capped || groupCount === 0
      ? mckpWork(classes.map((c) => c.options), problem.capacity, groupCount)
      : mckpWork(classes.filter((c) => c.options[0].mask !== 0).map((c) => c.options), problem.capacity, groupCount) + mckpWork(classes.filter((c) => c.options[0].mask === 0).map((c) => c.options), problem.capacity, 0);
    if (cells + work > maxWork) {
      // Too much table: the best the searches found, marked so a caller can coarsen the cost unit and retry.
      const fallback = quick ?? search(problem, problem.nodeLimit ?? DEFAULT_NODE_LIMIT, cells, bitCount(tracked));
      return { ...fallback, dpCells: cells, groupLayers: bitCount(tracked), workLimited: !fallback.provenOptimal };
    }
    const solved = capped || groupCount === 0 ? solveMckp(classes.map((c) => c.options), problem.capacity, groupCount) : solveSplit(classes, problem.capacity, groupCount);
    cells += solved.cells;
    const method: SelectionMethod = capped ? 'MULTIPLE_CHOICE_DP' : 'DYNAMIC_PROGRAMMING';
    const nodes = quick?.nodes ?? 0;
    if (!solved.feasible) {
      return { chosen: [], value: 0, weight: 0, feasible: false, provenOptimal: true, upperBound: 0, method, nodes, dpCells: cells, groupLayers: groupCount, workLimited: false };
    }
    const chosen = classes.flatMap((c, k) => (solved.choice[k] >= 0 ? c.members[solved.choice[k]] : [])).sort((a, b) => a - b);
    const missing = required & ~chosen.reduce((mask, i) => mask | items[i].groups, 0);
    if (missing === 0) {
      return { chosen, value: valueOf(items, chosen), weight: weightOf(items, chosen), feasible: true, provenOptimal: true, upperBound: solved.value, method, nodes, dpCells: cells, groupLayers: groupCount, workLimited: false };
    }
    tracked |= missing;
  }
}

/**
 * Without caps, most items need no DP at all (Martello & Toth's reduction): with a feasible answer
 * worth LB (the better greedy), an item whose LP bound with it forced out is below LB is in every
 * optimum, and one whose bound with it forced in is below LB is in none. (The LP relaxation of the
 * budget alone bounds the problem with groups too.) The DP then runs on the items left, with the
 * budget and the groups the fixed items leave: by 1,000 candidates for 30M yuan, 30M cells → ~1M.
 * Null when nothing could be fixed (the caller solves the whole problem).
 */
function solveReduced(problem: SelectionProblem): SelectionResult | null {
  const { items } = problem;
  const incumbent = bestGreedy(problem);
  if (!incumbent) return null;
  // Items heavier than the budget can never be chosen: they are neither fixed nor left free.
  const usable = items.map((_, i) => i).filter((i) => items[i].weight <= problem.capacity);
  const fixed = fixByBounds(usable.map((i) => items[i]), problem.capacity, incumbent.value);
  if (!fixed) return null;
  const fixedIn = fixed.in.map((k) => usable[k]);
  const free = fixed.free.map((k) => usable[k]);
  if (fixed.in.length === 0 && fixed.free.length === usable.length) return null;
  const capacity = problem.capacity - weightOf(items, fixedIn);
  const covered = fixedIn.reduce((mask, i) => mask | items[i].groups, 0);
  if (capacity < 0) return null;
  const rest = solveSelection({ ...problem, items: free.map((i) => items[i]), capacity, requiredGroups: (problem.requiredGroups ?? 0) & ~covered, strategy: 'DP' });
  // The reduced problem holds an answer at least as good as the incumbent; anything else is a bug in the bounds: solve it whole.
  if (!rest.feasible || rest.workLimited) return null;
  const chosen = [...fixedIn, ...rest.chosen.map((k) => free[k])].sort((a, b) => a - b);
  const value = valueOf(items, chosen);
  if (value < incumbent.value - 1e-9 * Math.max(1, Math.abs(incumbent.value))) return null;
  // The bounds and the DP on what is left are one method: it reports as the DP.
  return { ...rest, method: 'DYNAMIC_PROGRAMMING', chosen, value, weight: weightOf(items, chosen), upperBound: rest.upperBound + valueOf(items, fixedIn) };
}

/**
 * Items fixed in, and items left free, by the Dantzig bound of each item forced the other way
 * (items forced in or out are a prefix-sum lookup in ratio order: O(n log n) for all of them).
 * Indices are into `items`; null when the bounds contradict the incumbent (then nothing is fixed).
 */
export function fixByBounds(items: readonly SelectionItem[], capacity: number, incumbent: number): { in: number[]; free: number[] } | null {
  const n = items.length;
  const order = ratioOrder(items);
  const position = new Int32Array(n);
  order.forEach((i, k) => (position[i] = k));
  const prefixWeight = new Float64Array(n + 1);
  const prefixValue = new Float64Array(n + 1);
  order.forEach((i, k) => {
    prefixWeight[k + 1] = prefixWeight[k] + items[i].weight;
    prefixValue[k + 1] = prefixValue[k] + items[i].value;
  });
  // The LP optimum over every item but `skip`, in `room`: whole items in ratio order, then a fraction of the next.
  const lpWithout = (skip: number, room: number): number => {
    if (room < 0) return -Infinity;
    const at = position[skip];
    const weightOfFirst = (k: number) => prefixWeight[k] - (at < k ? items[skip].weight : 0);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (weightOfFirst(mid) <= room) lo = mid;
      else hi = mid - 1;
    }
    let value = prefixValue[lo] - (at < lo ? items[skip].value : 0);
    let next = lo;
    if (next === at) next++;
    if (next < n) {
      const item = items[order[next]];
      if (item.weight > 0) value += (item.value * (room - weightOfFirst(lo))) / item.weight;
    }
    return value;
  };
  const margin = 1e-9 * Math.max(1, Math.abs(incumbent));
  const fixedIn: number[] = [];
  const free: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = lpWithout(i, capacity) < incumbent - margin;
    const into = items[i].value + lpWithout(i, capacity - items[i].weight) < incumbent - margin;
    if (out && into) return null;
    if (out) fixedIn.push(i);
    else if (!into) free.push(i);
  }
  return { in: fixedIn, free };
}

/** The branch-and-bound over communities, from the better of the two greedy answers. */
function search(problem: SelectionProblem, nodeLimit: number, cells: number, groupLayers: number): SelectionResult {
  const { items } = problem;
  const incumbent = bestGreedy(problem);
  const outcome = searchByCommunity(problem, Infinity, incumbent?.chosen ?? null, nodeLimit);
  const found = outcome.chosen;
  const value = found ? valueOf(items, found) : 0;
  // Exhausted: what was found is the optimum (or nothing is feasible). Cut short: the optimum is
  // at most the best of what was found and the bounds of the subtrees left unexplored.
  const upperBound = outcome.exhausted ? value : Math.min(outcome.rootBound, Math.max(value, outcome.openBound));
  return {
    chosen: found ?? [],
    value,
    weight: found ? weightOf(items, found) : 0,
    feasible: found !== null,
    provenOptimal: outcome.exhausted,
    upperBound,
    method: 'BRANCH_AND_BOUND',
    nodes: outcome.nodes,
    dpCells: cells,
    groupLayers,
    workLimited: false,
  };
}

/**
 * Without caps, items that serve none of the tracked groups need no layers: they get a one-layer
 * table, the others a layered one, and the best split of the capacity between the two is taken.
 * This keeps a rarely served group (a handful of items) from multiplying the whole table.
 */
function solveSplit(classes: SelectionClass[], capacity: number, groupCount: number): MckpResult {
  const serving = classes.map((c, k) => k).filter((k) => classes[k].options[0].mask !== 0);
  const others = classes.map((c, k) => k).filter((k) => classes[k].options[0].mask === 0);
  const layered = mckpTable(serving.map((k) => classes[k].options), capacity, groupCount);
  const plain = mckpTable(others.map((k) => classes[k].options), capacity, 0);
  const full = layered.layers - 1;
  let best = -Infinity;
  let split = 0;
  for (let w = 0; w < layered.width; w++) {
    const value = layered.valueAt(full, w) + plain.valueAt(0, layered.width - 1 - w);
    if (value > best) {
      best = value;
      split = w;
    }
  }
  const choice = new Int32Array(classes.length).fill(-1);
  const cells = layered.cells + plain.cells;
  if (best === -Infinity) return { choice, value: best, weight: 0, feasible: false, cells };
  layered.choose(full, split).forEach((picked, j) => (choice[serving[j]] = picked));
  plain.choose(0, layered.width - 1 - split).forEach((picked, j) => (choice[others[j]] = picked));
  const weight = classes.reduce((sum, c, k) => sum + (choice[k] >= 0 ? c.options[choice[k]].weight : 0), 0);
  return { choice, value: best, weight, feasible: true, cells };
}

interface SelectionClass {
  options: ClassOption[];
  /** The items of each option. */
  members: number[][];
}

/** Without caps every useful item is a class of its own; with caps each community is one class of its allowed subsets. */
function buildClasses(problem: SelectionProblem, tracked: number, capped: boolean): SelectionClass[] {
  const { items } = problem;
  const useful = (i: number) => items[i].weight <= problem.capacity && (items[i].value > 0 || (items[i].groups & tracked) !== 0);
  if (!capped) {
    return items.flatMap((item, i) => (useful(i) ? [{ options: [{ weight: item.weight, value: item.value, mask: compress(item.groups & tracked, tracked) }], members: [[i]] }] : []));
  }
  const byCommunity = new Map<number, number[]>();
  items.forEach((item, i) => {
    if (!useful(i)) return;
    const list = byCommunity.get(item.community);
    if (list) list.push(i);
    else byCommunity.set(item.community, [i]);
  });
  const weightLimit = Math.min(problem.capacity, problem.maxWeightPerCommunity ?? Infinity);
  return [...byCommunity.keys()].sort((a, b) => a - b).map((community) => {
    const options = communityOptions({ ...problem, requiredGroups: tracked }, byCommunity.get(community)!, weightLimit).filter((o) => o.items.length > 0);
    return { options: options.map((o) => ({ weight: o.weight, value: o.value, mask: compress(o.mask, tracked) })), members: options.map((o) => o.items) };
  });
}

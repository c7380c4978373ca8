import { capToUnits, costToUnits, costUnitFor } from '../optimize/knapsack';
import { greedySelection, solveSelection, type SelectionProblem, type SelectionResult } from '../optimize/select';
import { DEFAULT_BETA } from './benefit';
import { buildCandidates, cents, groupBit, netOf, resourcesPerCommunity, type Candidate } from './candidates';
import { explain } from './explain';
import { allocate, leftAfter, type Allocation } from './resources';
import type { ResourceSpec, SuggestionInput, SuggestionParams, SuggestionResult } from './types';

/** Re-solves at most this many times when selected projects compete for the same resources. */
const MAX_SHARED_RESOURCE_ROUNDS = 6;

/**
 * Suggests livelihood projects for a budget: a pure function of demand cells, templates,
 * communities and resources (no database), explaining every candidate.
 *
 * 1. Candidates: each allowed template in each community with demand in its categories;
 *    benefit b = Σ C·n·ρ·(1 + β·v) over those cells; net cost = cost − the value of the
 *    community's resources matched to its needs (min-cost flow).
 * 2. Selection: exact (optimize/select.ts) on net costs rounded up to the cost unit, with the
 *    required groups and the community caps; a template with a project under way in a community
 *    is left out there (its reason says so).
 * 3. Shared resources: each candidate's net cost assumed it had its community's resources to
 *    itself. The selected projects of a community then share them in one joint allocation; when
 *    that leaves a project dearer than assumed, its cost is raised to what it really gets and
 *    the selection is solved again, until nothing changes. The first solve's value bounds every
 *    selection from above (its costs were optimistic), so the answer is proven optimal when no
 *    round was needed, and the gap is reported otherwise.
 */
export function suggestProjects(input: SuggestionInput): SuggestionResult {
  const started = performance.now();
  const params: SuggestionParams = {
    beta: input.params?.beta ?? DEFAULT_BETA,
    rho: input.params?.rho ?? null,
    costUnit: input.params?.costUnit ?? null,
  };
  const baseUnit = params.costUnit ?? costUnitFor(input.budget);
  const requiredMask = input.constraints.requiredGroups.reduce((mask, group) => mask | groupBit(group), 0);
  const { candidates, withoutDemand } = buildCandidates(input, params.beta, params.rho);
  const resources = resourcesPerCommunity(input.resources);
  const candidatesDone = performance.now();

  // The cost unit grows (1×, 2×, 5×, 10× … the stated unit) only when a DP table would be too big to fill quickly.
  let run = selectWithRounds(input, candidates, resources, requiredMask, baseUnit);
  for (const factor of UNIT_FACTORS) {
    if (!run.workLimited || params.costUnit != null) break;
    run = selectWithRounds(input, candidates, resources, requiredMask, baseUnit * factor);
  }
  const { unit, capacity, maxWeight, pool, problem, solved, joint, rounds, firstBound, assumed } = run;
  const selected = run.selected;
  // For the explanations: the answer without the group requirement, and the greedy answer.
  const groupsShapedIt = requiredMask !== 0 && solved.feasible && (solved.groupLayers > 0 || solved.method === 'BRANCH_AND_BOUND');
  const withoutGroups = groupsShapedIt
    ? new Set(solveSelection({ ...problem, requiredGroups: 0 }).chosen.map((i) => pool[i].key))
    : null;
  const greedy = greedySelection(problem);
  const greedySelected = greedy.chosen.map((i) => pool[i]);
  const selectionDone = performance.now();

  const benefit = selected.reduce((sum, c) => sum + c.benefit, 0);
  const proven = solved.provenOptimal && rounds === 0;
  const upperBound = Math.max(benefit, rounds === 0 ? solved.upperBound : firstBound);
  return explain({
    input,
    params,
    unit,
    capacity,
    maxWeight,
    requiredMask,
    candidates,
    pool,
    poolNet: assumed,
    selected,
    joint,
    resources,
    withoutGroups,
    greedy: { selected: greedySelected, joint: jointAllocation(greedySelected, resources), feasible: greedy.feasible },
    stats: {
      method: solved.method,
      provenOptimal: proven,
      upperBound: round3(upperBound),
      gap: round3(Math.max(0, upperBound - benefit)),
      candidates: candidates.length,
      withoutDemand,
      costUnit: unit,
      capacityUnits: capacity,
      dpCells: run.dpCells,
      nodes: run.nodes,
      groupLayers: solved.groupLayers,
      sharedResourceRounds: rounds,
      elapsedMs: 0,
      phaseMs: { candidates: ms(candidatesDone - started), selection: ms(selectionDone - candidatesDone), explanation: 0 },
    },
    feasible: solved.feasible,
    started,
  });
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const ms = (value: number) => Math.round(value * 10) / 10;
const UNIT_FACTORS = [2, 5, 10, 20, 50];

interface SelectionRun {
  unit: number;
  capacity: number;
  maxWeight: number | null;
  pool: Candidate[];
  /** The net cost (yuan) the last solve counted for each pool candidate, by key. */
  assumed: Map<string, number>;
  problem: SelectionProblem;
  solved: SelectionResult;
  selected: Candidate[];
  joint: Allocation;
  rounds: number;
  firstBound: number;
  dpCells: number;
  nodes: number;
  workLimited: boolean;
}

/**
 * Selection at one cost unit: solve on each candidate's own net cost, then, while selected
 * projects of a community turn out to share resources (the joint allocation leaves one dearer
 * than assumed), raise those costs to what they really get and solve again.
 */
function selectWithRounds(input: SuggestionInput, candidates: Candidate[], resources: Map<number, ResourceSpec[]>, requiredMask: number, unit: number): SelectionRun {
  const capacity = capToUnits(input.budget, unit);
  const maxCount = input.constraints.perCommunityMaxProjects;
  const maxWeight = input.constraints.perCommunityMaxCost == null ? null : capToUnits(input.constraints.perCommunityMaxCost, unit);
  // What the selection chooses among: allowed, not already under way there, and affordable on its own.
  const fitsAlone = (c: Candidate) => costToUnits(c.standaloneNet, unit) <= Math.min(capacity, maxWeight ?? Infinity);
  const pool = candidates.filter((c) => c.allowed && !c.activeProject && fitsAlone(c));
  const assumed = new Map(pool.map((c) => [c.key, c.standaloneNet]));
  const problemNow = (): SelectionProblem => ({
    items: pool.map((c) => ({ weight: costToUnits(assumed.get(c.key)!, unit), cost: assumed.get(c.key)!, value: c.benefit, groups: c.groupMask, community: c.communityIndex })),
    capacity,
    requiredGroups: requiredMask,
    maxCountPerCommunity: maxCount,
    maxWeightPerCommunity: maxWeight,
    maxWork: input.limits?.maxWork,
    nodeLimit: input.limits?.nodeLimit,
  });
  let problem = problemNow();
  let solved = solveSelection(problem);
  const firstBound = solved.feasible ? solved.upperBound : 0;
  let dpCells = solved.dpCells;
  let nodes = solved.nodes;
  let workLimited = solved.workLimited;
  let selected = solved.chosen.map((i) => pool[i]);
  let joint = jointAllocation(selected, resources);
  let rounds = 0;
  for (; rounds < MAX_SHARED_RESOURCE_ROUNDS; rounds++) {
    const dearer = selected.filter((c) => netOf(c.template, joint.value.get(c.key) ?? 0) > assumed.get(c.key)! + 0.005);
    if (dearer.length === 0) break;
    for (const c of dearer) assumed.set(c.key, netOf(c.template, joint.value.get(c.key) ?? 0));
    // Wherever projects were selected, the candidates left out would compete for the same
    // resources: count them at what the selected projects leave, so the next solve neither swaps
    // one contender for another nor adds a new one elsewhere at a price it cannot have (costs only
    // ever rise, so the rounds end).
    const selectedKeys = new Set(selected.map((c) => c.key));
    for (const communityId of new Set(selected.map((c) => c.community.id))) {
      const communityResources = resources.get(communityId) ?? [];
      const left = leftAfter(communityResources, joint);
      for (const c of pool) {
        if (c.community.id !== communityId || selectedKeys.has(c.key)) continue;
        const alone = allocate([{ key: c.key, template: c.template }], communityResources, left);
        assumed.set(c.key, Math.max(assumed.get(c.key)!, netOf(c.template, alone.value.get(c.key) ?? 0)));
      }
    }
    problem = problemNow();
    solved = solveSelection(problem);
    dpCells += solved.dpCells;
    nodes += solved.nodes;
    workLimited ||= solved.workLimited;
    selected = solved.chosen.map((i) => pool[i]);
    joint = jointAllocation(selected, resources);
  }
  // Out of rounds with costs still moving: keep the answer within the budget and caps at its real costs.
  if (rounds === MAX_SHARED_RESOURCE_ROUNDS) {
    selected = withinLimits(selected, joint, { unit, capacity, maxWeight });
    joint = jointAllocation(selected, resources);
  }
  return { unit, capacity, maxWeight, pool, assumed, problem, solved, selected, joint, rounds, firstBound, dpCells, nodes, workLimited };
}

/** The selected projects of each community share its resources in one allocation. */
export function jointAllocation(selected: readonly Candidate[], resources: Map<number, ResourceSpec[]>): Allocation {
  const matches: Allocation['matches'] = new Map();
  const value: Allocation['value'] = new Map();
  let total = 0;
  const byCommunity = new Map<number, Candidate[]>();
  for (const c of selected) {
    const list = byCommunity.get(c.community.id);
    if (list) list.push(c);
    else byCommunity.set(c.community.id, [c]);
  }
  for (const [communityId, list] of byCommunity) {
    const part = allocate(list.map((c) => ({ key: c.key, template: c.template })), resources.get(communityId) ?? []);
    for (const [key, m] of part.matches) matches.set(key, m);
    for (const [key, v] of part.value) value.set(key, v);
    total = cents(total + part.total);
  }
  return { matches, value, total };
}

/** Drops the lowest benefit-per-yuan projects until the real (shared-resource) costs fit; normally drops nothing. */
function withinLimits(selected: Candidate[], joint: Allocation, limits: { unit: number; capacity: number; maxWeight: number | null }): Candidate[] {
  const units = (c: Candidate) => costToUnits(netOf(c.template, joint.value.get(c.key) ?? 0), limits.unit);
  const kept = [...selected].sort((a, b) => b.benefit / Math.max(1, units(b)) - a.benefit / Math.max(1, units(a)));
  const fits = () => {
    if (kept.reduce((sum, c) => sum + units(c), 0) > limits.capacity) return false;
    if (limits.maxWeight == null) return true;
    const perCommunity = new Map<number, number>();
    for (const c of kept) perCommunity.set(c.community.id, (perCommunity.get(c.community.id) ?? 0) + units(c));
    return [...perCommunity.values()].every((w) => w <= limits.maxWeight!);
  };
  while (kept.length && !fits()) kept.pop();
  return kept;
}

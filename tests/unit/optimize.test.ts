import { capToUnits, costToUnits, costUnitFor, knapsack01 } from '../../analytics/optimize/knapsack';
import { greedySelection, solveSelection, type SelectionItem, type SelectionProblem } from '../../analytics/optimize/select';
import { maxValueTransport } from '../../analytics/optimize/transport';
import { mulberry32 } from '../../src/seed/random';


/**
 * Brute force, written independently of the solver: every subset, every constraint checked
 * here, the best value kept.
 */
function bruteForce(problem: SelectionProblem): { value: number; feasible: boolean } {
  const n = problem.items.length;
  let best = -Infinity;
  for (let mask = 0; mask < 1 << n; mask++) {
    const chosen: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) chosen.push(i);
    let weight = 0;
    let value = 0;
    let groups = 0;
    const perCommunity = new Map<number, { count: number; weight: number }>();
    for (const i of chosen) {
      const item = problem.items[i];
      weight += item.weight;
      value += item.value;
      groups |= item.groups;
      const entry = perCommunity.get(item.community) ?? { count: 0, weight: 0 };
      entry.count += 1;
      entry.weight += item.weight;
      perCommunity.set(item.community, entry);
    }
    if (weight > problem.capacity) continue;
    const required = problem.requiredGroups ?? 0;
    if ((groups & required) !== required) continue;
    if (problem.maxCountPerCommunity != null && [...perCommunity.values()].some((e) => e.count > problem.maxCountPerCommunity!)) continue;
    if (problem.maxWeightPerCommunity != null && [...perCommunity.values()].some((e) => e.weight > problem.maxWeightPerCommunity!)) continue;
    best = Math.max(best, value);
  }
  return { value: best === -Infinity ? 0 : best, feasible: best !== -Infinity };
}

function randomProblem(random: () => number): SelectionProblem {
  const n = 1 + Math.floor(random() * 14);
  const communities = 1 + Math.floor(random() * 4);
  const items: SelectionItem[] = Array.from({ length: n }, () => ({
    weight: Math.floor(random() * 21),
    value: Math.round(random() * 10000) / 100,
    groups: Math.floor(random() * 8),
    community: Math.floor(random() * communities),
  }));
  const problem: SelectionProblem = {
    items,
    capacity: Math.floor(random() * 70),
    requiredGroups: random() < 0.5 ? Math.floor(random() * 8) : 0,
    maxCountPerCommunity: random() < 0.4 ? 1 + Math.floor(random() * 3) : null,
    maxWeightPerCommunity: random() < 0.3 ? 5 + Math.floor(random() * 30) : null,
  };
  return problem;
}

describe('knapsack01 (dynamic programming)', () => {
  test('a worked example: capacity 10, weights 5/4/6/3, values 10/40/30/50 → items 2 and 4, value 90', () => {
    const result = knapsack01([5, 4, 6, 3], [10, 40, 30, 50], 10);
    expect(result.chosen).toEqual([1, 3]);
    expect(result.value).toBe(90);
    expect(result.weight).toBe(7);
  });

  test('matches brute force on 300 random instances (seed 20261122)', () => {
    const random = mulberry32(20261122);
    for (let run = 0; run < 300; run++) {
      const problem = randomProblem(random);
      const plain = { items: problem.items, capacity: problem.capacity };
      const dp = knapsack01(problem.items.map((i) => i.weight), problem.items.map((i) => i.value), problem.capacity);
      expect(dp.value).toBeCloseTo(bruteForce(plain).value, 9);
      expect(dp.weight).toBeLessThanOrEqual(problem.capacity);
      expect(dp.chosen.reduce((sum, i) => sum + problem.items[i].value, 0)).toBeCloseTo(dp.value, 9);
    }
  });
});

describe('solveSelection (exact with side constraints)', () => {
  test('matches brute force on 1,500 random instances with required groups and community caps (seed 7)', () => {
    const random = mulberry32(7);
    let constrained = 0;
    for (let run = 0; run < 1500; run++) {
      const problem = randomProblem(random);
      const expected = bruteForce(problem);
      const result = solveSelection(problem);
      expect(result.feasible).toBe(expected.feasible);
      expect(result.provenOptimal).toBe(true);
      expect(result.value).toBeCloseTo(expected.value, 9);
      if (result.feasible) expect(bruteForceCheck(problem, result.chosen)).toBe(true);
      // Each method on its own must agree too.
      for (const strategy of ['SEARCH', 'DP'] as const) {
        const alone = solveSelection({ ...problem, strategy });
        expect(alone.feasible).toBe(expected.feasible);
        expect(alone.provenOptimal).toBe(true);
        expect(alone.value).toBeCloseTo(expected.value, 9);
        if (strategy === 'DP' && (alone.method === 'MULTIPLE_CHOICE_DP' || alone.groupLayers > 0)) constrained += 1;
      }
    }
    // The side constraints bound in a good share of the instances, so the layered DP was exercised.
    expect(constrained).toBeGreaterThan(300);
  });

  test('an instance where the ratio greedy is wrong and the optimum is known: 10 units, A(6 → 7), B(5 → 5), C(5 → 5)', () => {
    const problem: SelectionProblem = {
      items: [
        { weight: 6, value: 7, groups: 0, community: 0 },
        { weight: 5, value: 5, groups: 0, community: 1 },
        { weight: 5, value: 5, groups: 0, community: 2 },
      ],
      capacity: 10,
    };
    expect(greedySelection(problem)).toMatchObject({ chosen: [0], value: 7 });
    expect(solveSelection(problem)).toMatchObject({ chosen: [1, 2], value: 10, provenOptimal: true, method: 'DYNAMIC_PROGRAMMING' });
  });

  test('a required group changes the answer: the best children project is taken even at a worse ratio', () => {
    const CHILDREN = 2;
    const problem: SelectionProblem = {
      items: [
        { weight: 5, value: 50, groups: 1, community: 0 },
        { weight: 5, value: 45, groups: 1, community: 1 },
        { weight: 5, value: 20, groups: CHILDREN, community: 2 },
        { weight: 4, value: 12, groups: CHILDREN, community: 3 },
      ],
      capacity: 10,
      requiredGroups: CHILDREN,
    };
    const result = solveSelection(problem);
    expect(result).toMatchObject({ chosen: [0, 2], value: 70, method: 'DYNAMIC_PROGRAMMING', groupLayers: 1, provenOptimal: true });
    expect(solveSelection({ ...problem, strategy: 'SEARCH' })).toMatchObject({ chosen: [0, 2], value: 70, method: 'BRANCH_AND_BOUND' });
  });

  test('without caps, fixing items by their LP bounds keeps the optimum: AUTO equals the DP alone on 200 instances of 80 items (seed 41)', () => {
    const random = mulberry32(41);
    let fixedSome = 0;
    for (let run = 0; run < 200; run++) {
      const items: SelectionItem[] = Array.from({ length: 80 }, (_, i) => ({
        weight: 5 + Math.floor(random() * 200), value: Math.round(random() * 1000) / 10, groups: random() < 0.1 ? 1 << Math.floor(random() * 3) : 0, community: i % 9,
      }));
      const requiredGroups = run % 3 === 0 ? 0b111 : 0;
      const problem = { items, capacity: 800 + Math.floor(random() * 2000), requiredGroups };
      const dp = solveSelection({ ...problem, strategy: 'DP' });
      const auto = solveSelection(problem);
      expect(auto.feasible).toBe(dp.feasible);
      expect(auto.provenOptimal).toBe(true);
      expect(auto.value).toBeCloseTo(dp.value, 9);
      if (auto.feasible) expect(bruteForceCheck(problem, auto.chosen)).toBe(true);
      if (auto.dpCells < dp.dpCells / 4) fixedSome++;
    }
    // The reduction is what makes it fast: most instances need a quarter of the table or less.
    expect(fixedSome).toBeGreaterThan(100);
  });

  test('no selection can meet the constraints: feasible false, nothing chosen', () => {
    const result = solveSelection({ items: [{ weight: 5, value: 1, groups: 1, community: 0 }], capacity: 4, requiredGroups: 1 });
    expect(result).toMatchObject({ feasible: false, chosen: [], value: 0 });
  });

  test('past maxWork the DP is not run: the search\'s answer comes back marked workLimited, feasible and within the bound', () => {
    const random = mulberry32(5);
    const items: SelectionItem[] = Array.from({ length: 40 }, (_, i) => ({ weight: 10 + Math.floor(random() * 90), value: random() * 100, groups: 0, community: i % 8 }));
    // The DP alone (AUTO would first fix most items by their LP bounds, and what is left fits in 100 cells).
    const result = solveSelection({ items, capacity: 500, maxWork: 100, nodeLimit: 3, strategy: 'DP' });
    expect(result).toMatchObject({ workLimited: true, provenOptimal: false, method: 'BRANCH_AND_BOUND', feasible: true });
    expect(result.weight).toBeLessThanOrEqual(500);
    expect(result.upperBound).toBeGreaterThanOrEqual(result.value);
    const optimum = solveSelection({ items, capacity: 500, strategy: 'DP' });
    expect(optimum.value).toBeLessThanOrEqual(result.upperBound + 1e-9);
    const reduced = solveSelection({ items, capacity: 500, maxWork: 100 });
    expect(reduced).toMatchObject({ workLimited: false, provenOptimal: true, method: 'DYNAMIC_PROGRAMMING' });
    expect(reduced.value).toBeCloseTo(optimum.value, 9);
    expect(reduced.dpCells).toBeLessThanOrEqual(100);
  });

  test('a node limit stops the search honestly: not proven, with a bound no lower than what was found', () => {
    const random = mulberry32(99);
    const items: SelectionItem[] = Array.from({ length: 60 }, (_, i) => ({ weight: 50 + Math.floor(random() * 50), value: 100 + random() * 10, groups: i % 7 === 0 ? 1 : 0, community: i % 10 }));
    const result = solveSelection({ items, capacity: 1000, requiredGroups: 1, maxCountPerCommunity: 1, nodeLimit: 50, strategy: 'SEARCH' });
    if (!result.provenOptimal) expect(result.upperBound).toBeGreaterThanOrEqual(result.value);
    expect(result.nodes).toBeGreaterThan(0);
  });
});

describe('rounding costs to units', () => {
  test('costs round up, budgets and caps round down, so a fit in units is a fit in yuan', () => {
    expect(costToUnits(1, 1000)).toBe(1);
    expect(costToUnits(1000, 1000)).toBe(1);
    expect(costToUnits(1000.01, 1000)).toBe(2);
    expect(costToUnits(0, 1000)).toBe(0);
    expect(capToUnits(2999.99, 1000)).toBe(2);
    expect(capToUnits(3000, 1000)).toBe(3);
    const random = mulberry32(3);
    for (let run = 0; run < 1000; run++) {
      const costs = Array.from({ length: 5 }, () => Math.round(random() * 1e6) / 100);
      const budget = Math.round(random() * 3e6) / 100;
      const fitsInUnits = costs.reduce((sum, c) => sum + costToUnits(c, 1000), 0) <= capToUnits(budget, 1000);
      if (fitsInUnits) expect(costs.reduce((sum, c) => sum + c, 0)).toBeLessThanOrEqual(budget);
    }
  });

  test('the unit grows by powers of ten for large budgets so the table stays small', () => {
    expect(costUnitFor(30_000_000)).toBe(1000);
    expect(costUnitFor(60_000_000)).toBe(1000);
    expect(costUnitFor(300_000_000)).toBe(10_000);
  });
});

describe('maxValueTransport (resource matching)', () => {
  test('beats the greedy when a resource is restricted: 3,000 yuan, not 2,000', () => {
    // Supply 0: 10 h of doctors (health projects only). Supply 1: 10 h of general volunteers.
    // Demand 0: the health outreach needs 10 h at 200/h; demand 1: the street-light repair needs 10 h at 100/h.
    // Filling the dearer demand first from supply 1 would leave supply 0 unusable for demand 1 (2,000 yuan).
    const result = maxValueTransport([10, 10], [10, 10], [
      { supply: 0, demand: 0, unitValue: 200 },
      { supply: 1, demand: 0, unitValue: 200 },
      { supply: 1, demand: 1, unitValue: 100 },
    ]);
    expect(result.value).toBeCloseTo(3000, 6);
    expect(result.flows).toEqual([10, 0, 10]);
  });

  test('an unmetered supply covers any amount; a worthless arc ships nothing', () => {
    const result = maxValueTransport([Infinity, 5], [30, 4], [
      { supply: 0, demand: 0, unitValue: 50 },
      { supply: 1, demand: 1, unitValue: 0 },
    ]);
    expect(result.value).toBeCloseTo(1500, 6);
    expect(result.flows).toEqual([30, 0]);
  });

  test('matches a brute-force search over integer shipments on small random instances (seed 11)', () => {
    const random = mulberry32(11);
    for (let run = 0; run < 200; run++) {
      const supplies = Array.from({ length: 1 + Math.floor(random() * 2) }, () => Math.floor(random() * 4));
      const demands = Array.from({ length: 1 + Math.floor(random() * 2) }, () => Math.floor(random() * 4));
      const arcs = supplies.flatMap((_, s) => demands.map((__, d) => ({ supply: s, demand: d, unitValue: random() < 0.3 ? 0 : Math.floor(random() * 10) })));
      const result = maxValueTransport(supplies, demands, arcs);
      expect(result.value).toBeCloseTo(bruteTransport(supplies, demands, arcs), 6);
    }
  });
});

/** Every integer shipment on every arc (amounts ≤ 3), the best feasible total. */
function bruteTransport(supplies: number[], demands: number[], arcs: { supply: number; demand: number; unitValue: number }[]): number {
  let best = 0;
  const flows = new Array(arcs.length).fill(0);
  const walk = (k: number) => {
    if (k === arcs.length) {
      const out = supplies.map((_, s) => arcs.reduce((sum, arc, j) => sum + (arc.supply === s ? flows[j] : 0), 0));
      const inflow = demands.map((_, d) => arcs.reduce((sum, arc, j) => sum + (arc.demand === d ? flows[j] : 0), 0));
      if (out.every((o, s) => o <= supplies[s]) && inflow.every((i, d) => i <= demands[d])) best = Math.max(best, arcs.reduce((sum, arc, j) => sum + arc.unitValue * flows[j], 0));
      return;
    }
    for (let f = 0; f <= 3; f++) {
      flows[k] = f;
      walk(k + 1);
    }
  };
  walk(0);
  return best;
}

function bruteForceCheck(problem: SelectionProblem, chosen: number[]): boolean {
  const weight = chosen.reduce((sum, i) => sum + problem.items[i].weight, 0);
  const groups = chosen.reduce((mask, i) => mask | problem.items[i].groups, 0);
  const required = problem.requiredGroups ?? 0;
  return weight <= problem.capacity && (groups & required) === required;
}

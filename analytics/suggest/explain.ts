import { costToUnits } from '../optimize/knapsack';
import { DEFAULT_BETA, DEFAULT_RHO } from './benefit';
import { cents, groupBit, groupsOf, netOf, type Candidate } from './candidates';
import { allocate, leftAfter, type Allocation } from './resources';
import { GROUP_NAMES, type BindingConstraint, type CandidateOut, type GreedyOut, type GroupName, type ResourceMatchOut, type ResourceSpec, type SolverStats, type SuggestionInput, type SuggestionParams, type SuggestionResult } from './types';

/** Everything the solve produced, for turning into explanations. */
export interface Solved {
  input: SuggestionInput;
  params: SuggestionParams;
  unit: number;
  capacity: number;
  maxWeight: number | null;
  requiredMask: number;
  candidates: Candidate[];
  pool: Candidate[];
  /** The net cost (yuan) the last solve counted for each pool candidate, by key. */
  poolNet: Map<string, number>;
  selected: Candidate[];
  joint: Allocation;
  resources: Map<number, ResourceSpec[]>;
  /** Keys of the optimum without the group requirement (null when groups did not shape the answer). */
  withoutGroups: Set<string> | null;
  greedy: { selected: Candidate[]; joint: Allocation; feasible: boolean };
  stats: SolverStats;
  feasible: boolean;
  started: number;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const yuan = (value: number) => `${cents(value).toLocaleString('en-US')} yuan`;
const label = (c: Candidate) => `${c.template.name} · ${c.community.name}`;

/** Turns a solve into the answer: every candidate with its numbers, reasons and binding constraints. */
export function explain(s: Solved): SuggestionResult {
  const selectedKeys = new Set(s.selected.map((c) => c.key));
  const greedyKeys = new Set(s.greedy.selected.map((c) => c.key));
  const unitsOf = (net: number) => costToUnits(net, s.unit);
  const netSelected = (c: Candidate) => netOf(c.template, s.joint.value.get(c.key) ?? 0);

  // Where the answer stands: yuan and units spent overall and per community, projects per community.
  const spentUnits = s.selected.reduce((sum, c) => sum + unitsOf(netSelected(c)), 0);
  const spentYuan = cents(s.selected.reduce((sum, c) => sum + netSelected(c), 0));
  const communityUnits = new Map<number, number>();
  const communityYuan = new Map<number, number>();
  const communityCount = new Map<number, number>();
  for (const c of s.selected) {
    communityUnits.set(c.community.id, (communityUnits.get(c.community.id) ?? 0) + unitsOf(netSelected(c)));
    communityYuan.set(c.community.id, cents((communityYuan.get(c.community.id) ?? 0) + netSelected(c)));
    communityCount.set(c.community.id, (communityCount.get(c.community.id) ?? 0) + 1);
  }
  const required = groupsOf(s.requiredMask);
  const ratioRank = rankByRatio(s.pool);
  const unservableGroups = required.filter((group) => !s.pool.some((c) => c.groupMask & groupBit(group)));
  // No selection meets the constraints: only the required groups can cause that (selecting nothing meets every other one).
  const shortfall = !s.feasible && s.requiredMask !== 0 ? groupShortfall(s, unservableGroups) : null;

  const out = (c: Candidate, matches: ResourceMatchOut[], matchedValue: number): CandidateOut => {
    const matched = cents(Math.min(matchedValue, c.template.cost));
    const netCost = netOf(c.template, matched);
    return {
      templateId: c.template.id,
      communityId: c.community.id,
      templateCode: c.template.code,
      templateName: c.template.name,
      communityName: c.community.name,
      kind: c.template.kind,
      targetGroups: [...c.template.targetGroups],
      servesRequiredGroups: groupsOf(c.groupMask & s.requiredMask),
      grossCost: cents(c.template.cost),
      matchedValue: matched,
      netCost,
      costUnits: unitsOf(netCost),
      benefit: round3(c.benefit),
      benefitFormula: c.benefitFormula,
      rho: c.rho,
      beta: s.params.beta,
      cells: c.cells,
      beneficiaries: c.beneficiaries,
      beneficiaryFormula: c.beneficiaryFormula,
      benefitPer10kYuan: netCost > 0 ? round3((c.benefit / netCost) * 10_000) : null,
      matches,
      selected: selectedKeys.has(c.key),
      inGreedy: greedyKeys.has(c.key),
      reasons: [],
      bindingConstraints: [],
    };
  };

  // "The exact optimum" only when it is proven: re-solved for shared resources (or cut short), the
  // answer is the best found, within the gap of the bound (the gap solver.gap shows).
  const shownBenefit = round3(s.selected.reduce((sum, c) => sum + round3(c.benefit), 0));
  const selectedAs = s.stats.provenOptimal
    ? 'selected in the exact optimum'
    : `selected in the best selection found, not proven optimal (at most ${round3(Math.max(0, s.stats.upperBound - shownBenefit))} more benefit may be possible)`;
  const selected = s.selected.map((c) => {
    const o = out(c, s.joint.matches.get(c.key) ?? [], s.joint.value.get(c.key) ?? 0);
    // The rank compares every candidate on its own resources; shared ones may leave this one a different net here.
    const own = standaloneRatio(c);
    const ownShown = Number.isFinite(own) ? round3(own) : null;
    const byRatio = `${ordinal(ratioRank.get(c.key))} of ${s.pool.length} candidates by that ratio`;
    o.reasons.push(
      ownShown === o.benefitPer10kYuan
        ? `${selectedAs}: benefit ${o.benefit} for ${yuan(o.netCost)} net (${o.benefitPer10kYuan ?? '∞'} per 10,000 yuan, ${byRatio})`
        : `${selectedAs}: benefit ${o.benefit} for ${yuan(o.netCost)} net (${o.benefitPer10kYuan ?? '∞'} per 10,000 yuan; on its own resources ${ownShown ?? '∞'} per 10,000 yuan of ${yuan(c.standaloneNet)}, ${byRatio})`,
    );
    if (o.matchedValue > 0) o.reasons.push(`resources of ${new Set(o.matches.map((m) => m.unitId)).size} unit(s) save ${yuan(o.matchedValue)} of the ${yuan(o.grossCost)} gross cost`);
    for (const group of o.servesRequiredGroups) {
      if (s.selected.filter((other) => other.groupMask & groupBit(group)).length === 1) {
        o.reasons.push(`the only selected project serving ${group}, a required group`);
        if (s.withoutGroups && !s.withoutGroups.has(c.key)) {
          o.bindingConstraints.push('GROUP_REQUIREMENT');
          o.reasons.push(`chosen to meet the ${group} requirement: without it the budget would go to projects of higher benefit per yuan`);
        }
      }
    }
    if (!o.inGreedy) o.reasons.push('the greedy ratio rule leaves it out');
    return o;
  });

  const leftovers = new Map<number, (r: ResourceSpec) => number>();
  const leftoverOf = (communityId: number) => {
    let left = leftovers.get(communityId);
    if (!left) leftovers.set(communityId, (left = leftAfter(s.resources.get(communityId) ?? [], s.joint)));
    return left;
  };
  const rejected = s.candidates
    .filter((c) => !selectedKeys.has(c.key))
    .map((c) => {
      // What it would get from what the selected projects leave of its community's resources.
      const alone = allocate([{ key: c.key, template: c.template }], s.resources.get(c.community.id) ?? [], leftoverOf(c.community.id));
      const o = out(c, alone.matches.get(c.key) ?? [], alone.value.get(c.key) ?? 0);
      rejectionReasons(o, c, s, shortfall, { spentUnits, spentYuan, communityUnits, communityYuan, communityCount, unitsOf });
      return o;
    })
    .sort((a, b) => b.benefit - a.benefit || a.templateId - b.templateId || a.communityId - b.communityId);

  const spent = cents(selected.reduce((sum, o) => sum + o.netCost, 0));
  const totals = {
    budget: cents(s.input.budget),
    spent,
    left: cents(s.input.budget - spent),
    grossCost: cents(selected.reduce((sum, o) => sum + o.grossCost, 0)),
    matchedValue: cents(selected.reduce((sum, o) => sum + o.matchedValue, 0)),
    benefit: round3(selected.reduce((sum, o) => sum + o.benefit, 0)),
    beneficiaries: selected.reduce((sum, o) => sum + o.beneficiaries, 0),
    projects: selected.length,
  };
  const binding = new Set<BindingConstraint>();
  // Left out by the question (templates) or by what already exists (projects), not by the selection.
  for (const o of rejected) for (const b of o.bindingConstraints) if (b !== 'TEMPLATE_NOT_ALLOWED' && b !== 'ACTIVE_PROJECT') binding.add(b);
  if (s.withoutGroups) binding.add('GROUP_REQUIREMENT');
  for (const b of shortfall?.binding ?? []) binding.add(b);

  return {
    selected: selected.sort((a, b) => b.benefit - a.benefit || a.templateId - b.templateId || a.communityId - b.communityId),
    rejected,
    totals,
    greedy: greedyOut(s, totals.benefit, selectedKeys, required, shortfall),
    bindingConstraints: [...binding],
    unservableGroups,
    assumptions: assumptions(s),
    // Bound and gap against the rounded total the answer shows (equal to it when proven).
    stats: {
      ...s.stats,
      upperBound: s.stats.provenOptimal ? totals.benefit : Math.max(totals.benefit, s.stats.upperBound),
      gap: s.stats.provenOptimal ? 0 : round3(Math.max(0, s.stats.upperBound - totals.benefit)),
      elapsedMs: Math.round((performance.now() - s.started) * 10) / 10,
      phaseMs: { ...s.stats.phaseMs, explanation: Math.round((performance.now() - s.started - s.stats.phaseMs.candidates - s.stats.phaseMs.selection) * 10) / 10 },
    },
    params: s.params,
  };
}

function rejectionReasons(
  o: CandidateOut,
  c: Candidate,
  s: Solved,
  shortfall: Shortfall | null,
  at: { spentUnits: number; spentYuan: number; communityUnits: Map<number, number>; communityYuan: Map<number, number>; communityCount: Map<number, number>; unitsOf: (net: number) => number },
): void {
  if (!c.allowed) {
    o.bindingConstraints.push('TEMPLATE_NOT_ALLOWED');
    o.reasons.push(`template ${c.template.code} is not among the allowed templates`);
    return;
  }
  if (c.activeProject) {
    o.bindingConstraints.push('ACTIVE_PROJECT');
    o.reasons.push(`${c.community.name} already has an active ${c.template.name} project (${c.activeProject.label}, ${c.activeProject.status}): another is suggested once it is accepted or cancelled`);
    return;
  }
  const units = at.unitsOf(o.netCost);
  // The selection counts costs rounded up to whole units and the budget and caps rounded down: a
  // project can fit in yuan and not in units. The reasons say which of the two keeps it out.
  const rounded = `but costs are counted in whole units of ${yuan(s.unit)}: ${units.toLocaleString('en-US')} units of ${yuan(s.unit)} after rounding up`;
  const budget = s.input.budget;
  const cap = s.input.constraints.perCommunityMaxCost;
  if (units > s.capacity) {
    o.bindingConstraints.push('BUDGET');
    o.reasons.push(o.netCost > budget
      ? `costs ${yuan(o.netCost)} net, more than the whole budget of ${yuan(budget)}`
      : `costs ${yuan(o.netCost)} net, within the budget of ${yuan(budget)}, ${rounded}, against ${s.capacity.toLocaleString('en-US')} in the budget`);
    return;
  }
  if (s.maxWeight != null && units > s.maxWeight) {
    o.bindingConstraints.push('COMMUNITY_MAX_COST');
    o.reasons.push(o.netCost > cap!
      ? `costs ${yuan(o.netCost)} net, more than the per-community cap of ${yuan(cap!)}`
      : `costs ${yuan(o.netCost)} net, within the per-community cap of ${yuan(cap!)}, ${rounded}, against ${s.maxWeight.toLocaleString('en-US')} in the cap`);
    return;
  }
  if (shortfall) {
    // It would fit, but no selection meets the group requirement (so none is made).
    o.bindingConstraints.push(...shortfall.candidateBinding);
    o.reasons.push(shortfall.reason);
    return;
  }
  if (at.spentUnits + units > s.capacity) {
    // The yuan the selected projects really leave (totals.left), not the units they leave.
    const left = Math.max(0, cents(budget - at.spentYuan));
    const unitsLeft = Math.max(0, s.capacity - at.spentUnits);
    o.bindingConstraints.push('BUDGET');
    o.reasons.push(o.netCost > left
      ? `needs ${yuan(o.netCost)} net; ${yuan(left)} of the budget is left, and the selected projects give more benefit for the money`
      : `needs ${yuan(o.netCost)} net and ${yuan(left)} of the budget is left, ${rounded}, against the ${unitsLeft.toLocaleString('en-US')} the selected projects leave of the budget's ${s.capacity.toLocaleString('en-US')}`);
  }
  const count = at.communityCount.get(c.community.id) ?? 0;
  if (s.input.constraints.perCommunityMaxProjects != null && count >= s.input.constraints.perCommunityMaxProjects) {
    o.bindingConstraints.push('COMMUNITY_MAX_PROJECTS');
    o.reasons.push(`${c.community.name} already has ${count} selected project(s), the most allowed`);
  }
  const communityUnits = at.communityUnits.get(c.community.id) ?? 0;
  if (s.maxWeight != null && communityUnits + units > s.maxWeight) {
    const together = cents((at.communityYuan.get(c.community.id) ?? 0) + o.netCost);
    o.bindingConstraints.push('COMMUNITY_MAX_COST');
    o.reasons.push(together > cap!
      ? `${c.community.name}'s selected projects would then cost more than the per-community cap of ${yuan(cap!)}`
      : `${c.community.name}'s selected projects would then cost ${yuan(together)} net, within the per-community cap of ${yuan(cap!)}, ${rounded}, against the ${Math.max(0, s.maxWeight - communityUnits).toLocaleString('en-US')} its selected projects leave of the cap's ${s.maxWeight.toLocaleString('en-US')}`);
  }
  if (s.withoutGroups?.has(c.key)) {
    o.bindingConstraints.push('GROUP_REQUIREMENT');
    o.reasons.push('in the best answer without the required groups: displaced by a project serving a required group');
  }
  if (o.bindingConstraints.length === 0) {
    if (!(c.benefit > 0)) {
      o.reasons.push('adds no benefit: the scores of its demand cells are 0');
      return;
    }
    // A proven optimum leaves out nothing that fits and adds benefit, so this only happens unproven.
    o.bindingConstraints.push('NOT_PROVEN');
    o.reasons.push(s.stats.sharedResourceRounds > 0
      ? 'it would fit at this cost: the selection was re-solved with costs raised for shared resources and is not proven optimal, so a better answer may include it'
      : 'it would fit: the search stopped before proving the answer optimal (see stats), so a better answer may include it');
  }
}

function greedyOut(s: Solved, exactBenefit: number, exactKeys: Set<string>, required: GroupName[], shortfall: Shortfall | null): GreedyOut {
  const g = s.greedy;
  const spent = cents(g.selected.reduce((sum, c) => sum + netOf(c.template, g.joint.value.get(c.key) ?? 0), 0));
  // Summed as the totals are, from each project's benefit as shown: the same projects, the same figure.
  const benefit = round3(g.selected.reduce((sum, c) => sum + round3(c.benefit), 0));
  const greedyKeys = new Set(g.selected.map((c) => c.key));
  const onlyInExact = s.selected.filter((c) => !greedyKeys.has(c.key));
  const onlyInGreedy = g.selected.filter((c) => !exactKeys.has(c.key));
  const feasible = g.feasible && spent <= s.input.budget;
  const same = onlyInExact.length === 0 && onlyInGreedy.length === 0;
  // "Exact" only when proven (as the selected projects' reasons say): re-solved for shared resources or cut short, it is the best found.
  const answer = s.stats.provenOptimal ? 'The exact selection' : 'The best selection found (not proven optimal)';
  let explanation: string;
  if (shortfall) {
    const missing = required.filter((group) => !g.selected.some((c) => c.groupMask & groupBit(group)));
    explanation = `${shortfall.summary}, so the exact answer is empty. `
      + (g.selected.length === 0
        ? 'The greedy rule selects nothing either.'
        : `The greedy rule takes ${g.selected.map(label).join(', ')} by benefit per yuan${missing.length ? ` and leaves ${and(missing)} unserved` : ''}.`);
  } else if (same) explanation = 'The greedy rule (best benefit per yuan first while it fits) picks the same projects.';
  else if (!feasible) {
    const missing = required.filter((group) => !g.selected.some((c) => c.groupMask & groupBit(group)));
    explanation = `The greedy rule fills the budget by benefit per yuan and then cannot serve ${missing.join(', ') || 'every constraint'} within what is left; ${answer.toLowerCase()} meets every constraint (benefit ${exactBenefit}).`;
  } else {
    const gain = round3(exactBenefit - benefit);
    const pct = benefit > 0 ? Math.round((gain / benefit) * 1000) / 10 : 0;
    explanation = `The greedy rule takes projects by benefit per yuan while they fit and reaches benefit ${benefit} for ${yuan(spent)}. `
      + `${answer} reaches ${exactBenefit} (+${gain}, +${pct}%) by taking ${onlyInExact.map(label).join(', ') || 'nothing else'} `
      + `instead of ${onlyInGreedy.map(label).join(', ') || 'nothing'}: a project with a lower ratio can use the money the greedy rule leaves idle or spends on a weaker fit.`;
  }
  return {
    selectedKeys: g.selected.map((c) => c.key),
    benefit,
    spent,
    feasible,
    sameAsExact: same,
    onlyInExact: onlyInExact.map((c) => c.key),
    onlyInGreedy: onlyInGreedy.map((c) => c.key),
    explanation,
  };
}

/** Why no selection meets the group requirement, for the candidates, the answer and the greedy comparison. */
interface Shortfall {
  /** Every candidate that would fit on its own carries this reason… */
  reason: string;
  /** …and these constraints. */
  candidateBinding: BindingConstraint[];
  /** Constraints that bind the answer as a whole. */
  binding: BindingConstraint[];
  /** One sentence for the greedy comparison. */
  summary: string;
}

/**
 * The solve found no selection serving every required group. Either a group has no candidate
 * within the budget, or the cheapest projects serving some of the groups together cost more than
 * the budget (found exactly: the cheapest cover of each set of groups, over the cheapest candidate
 * of each combination of groups served, at the costs the solve counted), or the per-community caps
 * forbid every cover within the budget, or — unproven — the search stopped first.
 */
function groupShortfall(s: Solved, unservable: GroupName[]): Shortfall {
  const none = 'no selection meets the group requirement';
  const within = s.maxWeight == null ? 'within the budget' : 'within the budget and the per-community cost cap';
  if (unservable.length) {
    return {
      reason: `no allowed candidate ${within} serves ${and(unservable)}; ${none}`,
      candidateBinding: ['GROUP_REQUIREMENT'],
      binding: ['GROUP_REQUIREMENT'],
      summary: `No selection ${within} serves every required group (no allowed candidate serves ${and(unservable)})`,
    };
  }
  const netOfPool = (c: Candidate) => s.poolNet.get(c.key) ?? c.standaloneNet;
  const unitsOfPool = (c: Candidate) => costToUnits(netOfPool(c), s.unit);
  // The cheapest candidate for each combination of required groups served (a cover never needs two alike).
  const cheapest = new Map<number, Candidate>();
  for (const c of s.pool) {
    const served = c.groupMask & s.requiredMask;
    const best = cheapest.get(served);
    if (served && (!best || unitsOfPool(c) < unitsOfPool(best) || (unitsOfPool(c) === unitsOfPool(best) && netOfPool(c) < netOfPool(best)))) cheapest.set(served, c);
  }
  // cover[m]: the cheapest set of those candidates serving exactly the groups m, in units (then yuan).
  type Cover = { units: number; net: number; items: Candidate[] };
  const cover: (Cover | undefined)[] = [];
  cover[0] = { units: 0, net: 0, items: [] };
  for (const [served, c] of cheapest) {
    for (let m = s.requiredMask; ; m = (m - 1) & s.requiredMask) {
      const from = cover[m];
      const to = m | served;
      if (from && to !== m) {
        const next = { units: from.units + unitsOfPool(c), net: cents(from.net + netOfPool(c)), items: [...from.items, c] };
        const old = cover[to];
        if (!old || next.units < old.units || (next.units === old.units && next.net < old.net)) cover[to] = next;
      }
      if (m === 0) break;
    }
  }
  const cheapestCover = (groups: number) => {
    let best: Cover | undefined;
    for (let m = 0; m < cover.length; m++) {
      const c = cover[m];
      if (c && (m & groups) === groups && (!best || c.units < best.units || (c.units === best.units && c.net < best.net))) best = c;
    }
    return best!;
  };
  // The fewest groups that cannot all be served within the budget.
  const subsets: number[] = [];
  for (let m = s.requiredMask; m; m = (m - 1) & s.requiredMask) subsets.push(m);
  subsets.sort((a, b) => groupsOf(a).length - groupsOf(b).length || a - b);
  const tooDear = subsets.find((m) => cheapestCover(m).units > s.capacity);
  if (tooDear != null) {
    const groups = groupsOf(tooDear);
    const c = cheapestCover(tooDear);
    // In the order of the groups they serve.
    const first = (item: Candidate) => GROUP_NAMES.findIndex((group) => item.groupMask & tooDear & groupBit(group));
    const projects = and([...c.items].sort((a, b) => first(a) - first(b)).map((item) => `${label(item)} (${groupsOf(item.groupMask & tooDear).join(', ')}, ${yuan(netOfPool(item))} net)`));
    const against = c.net > s.input.budget
      ? `cost ${yuan(c.net)} together, more than the budget of ${yuan(s.input.budget)}`
      : `cost ${yuan(c.net)} together, within the budget of ${yuan(s.input.budget)}, but costs are counted in whole units of ${yuan(s.unit)}: ${c.units.toLocaleString('en-US')} units of ${yuan(s.unit)} after rounding up, against ${s.capacity.toLocaleString('en-US')} in the budget`;
    return {
      reason: `${and(groups)} cannot all be served within the budget: the cheapest projects serving them, ${projects}, ${against}; ${none}`,
      candidateBinding: ['GROUP_REQUIREMENT'],
      binding: ['BUDGET', 'GROUP_REQUIREMENT'],
      summary: `No selection within the budget serves every required group (${and(groups)} cannot all be served: `
        + (c.net > s.input.budget
          ? `${cents(c.net).toLocaleString('en-US')} yuan against ${cents(s.input.budget).toLocaleString('en-US')})`
          : `${c.units.toLocaleString('en-US')} units of ${yuan(s.unit)} after rounding up, against ${s.capacity.toLocaleString('en-US')})`),
    };
  }
  const { perCommunityMaxProjects: maxProjects, perCommunityMaxCost: maxCost } = s.input.constraints;
  const caps: string[] = [];
  const capBinding: BindingConstraint[] = [];
  if (maxProjects != null) {
    caps.push(`at most ${maxProjects} project(s)`);
    capBinding.push('COMMUNITY_MAX_PROJECTS');
  }
  if (maxCost != null) {
    caps.push(`at most ${yuan(maxCost)}`);
    capBinding.push('COMMUNITY_MAX_COST');
  }
  const groups = and(groupsOf(s.requiredMask));
  if (caps.length && s.stats.provenOptimal) {
    return {
      reason: `${groups} can be served together within the budget, but not with ${caps.join(' and ')} per community; ${none}`,
      candidateBinding: ['GROUP_REQUIREMENT', ...capBinding],
      binding: ['GROUP_REQUIREMENT', ...capBinding],
      summary: `No selection within the budget and the per-community caps serves every required group (${groups})`,
    };
  }
  return {
    reason: `no selection serving ${groups} was found: the search stopped before proving there is none (see stats), so a selection may exist`,
    candidateBinding: ['NOT_PROVEN'],
    binding: ['GROUP_REQUIREMENT', 'NOT_PROVEN'],
    summary: `No selection serving every required group (${groups}) was found before the search stopped (see stats)`,
  };
}

/** "A", "A and B", "A, B and C". */
function and(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function assumptions(s: Solved): string[] {
  const { params } = s;
  return [
    `Benefit b = Σ C·n·ρ·(1+β·v) over the demand cells of the template's categories in the candidate's community: C the cell's ranking score, n its demand count in the period (consultations excluded), v the share from elderly, children, disabled and low-income residents (unknown when no demand in the cell has a known group: no boost, v counts 0).`,
    `C (score): ${s.input.scoreSource ?? 'the demand ranking\'s TOPSIS closeness'}.`,
    params.rho != null
      ? `ρ = ${params.rho} for every template (given in the input): the share of the covered demand a project addresses.`
      : `ρ per template (default ${DEFAULT_RHO}): the share of the covered demand a project addresses; a community project serves a part of those who asked, works that remove a cause (lights, drainage) more.`,
    `β = ${params.beta}${params.beta === DEFAULT_BETA ? ' (default)' : ''}: a cell whose demand is all from vulnerable residents counts ${1 + params.beta} times.`,
    `Costs are rounded UP to ${s.unit.toLocaleString('en-US')} yuan and the budget DOWN (${s.capacity.toLocaleString('en-US')} units), so the selection never spends more than the budget; ${s.stats.provenOptimal ? 'the optimum is exact for those rounded costs' : 'for those rounded costs the selection is the best found, not proven optimal (stats.gap bounds what more is possible)'}, and a project that fits only before rounding is left out (its reason says so).`,
    'Resources: the open capacity (quantity not yet claimed) of RESOURCE items on each community\'s own four lists; a matched unit saves the need\'s unit value, capped by the item\'s declared value per unit; an earmarked item serves only projects in its category family; the selected projects of a community share its resources once (a joint min-cost-flow allocation), and a rejected candidate is shown with what they leave.',
    'One project per template per community; a demand cell two selected templates both address counts for each (the seed catalogue\'s templates address disjoint categories); template costs respect the Shenzhen micro-project caps (500,000 yuan for SERVICE and GOODS, 1,000,000 for WORKS).',
  ];
}

/**
 * Benefit per 10,000 yuan of a candidate's own net cost (its resources alone, exact yuan; Infinity
 * when free): what a selected reason's "Nth by that ratio" ranks. It ranked benefit per cost unit
 * (net rounded up to 1,000 yuan), so a higher ratio shown could rank below a lower one.
 */
const standaloneRatio = (c: Candidate) => (c.standaloneNet > 0 ? (c.benefit / c.standaloneNet) * 10_000 : Number.POSITIVE_INFINITY);

function rankByRatio(pool: Candidate[]): Map<string, number> {
  const ratios = new Map(pool.map((c) => [c.key, standaloneRatio(c)]));
  // Equal ratios share a rank (1, 1, 3), as every ranking here.
  const sorted = [...pool].sort((a, b) => ratios.get(b.key)! - ratios.get(a.key)! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const ranks = new Map<string, number>();
  sorted.forEach((c, index) => {
    const previous = sorted[index - 1];
    ranks.set(c.key, previous && ratios.get(previous.key) === ratios.get(c.key) ? ranks.get(previous.key)! : index + 1);
  });
  return ranks;
}

function ordinal(n: number | undefined): string {
  if (n == null) return '-';
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

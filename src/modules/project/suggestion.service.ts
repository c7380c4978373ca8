import { createHash } from 'node:crypto';
import { validate } from 'class-validator';
import {
  suggestProjects, type ActiveProjectSpec, type CandidateOut, type GroupName, type ResourceKind, type ResourceSpec, type SuggestionResult, type TemplateSpec,
} from '../../../analytics';
import { resolvePeriod, type PeriodInput } from '../../common/dates';
import { AppError, ErrorCode, badInput, forbidden } from '../../common/errors';
import { expectGlobalId, toGlobalId } from '../../common/global-id';
import { ResidentGroup } from '../../common/resident-group';
import type { AppContext } from '../../context/context';
import { authorizeArea, pathCondition, pathInScope, scopePathsOf } from '../identity/access';
import { ResourceType } from '../list/list.entity';
import { usedQuantities } from '../list/list.relations';
import { loadDemandCells } from './demand-cells';
import { ProjectKind, ProjectTemplate } from './project.entity';
import { ACTIVE_PROJECT_STATUSES } from './project.rules';
import { ProjectSuggestionsInput } from './suggestion.inputs';
import type { BindingConstraint, ProjectSuggestion, ProjectSuggestionResult } from './suggestion.types';

/** The query a suggestion came from, as given (dates or lastDays, ids as global IDs), arrays sorted. */
export type SuggestionQuery = {
  budget: number;
  areaId: string | null;
  from: string | null;
  to: string | null;
  lastDays: number | null;
  requiredGroups: ResidentGroup[];
  perCommunityMaxProjects: number | null;
  perCommunityMaxCost: number | null;
  allowedTemplateIds: string[] | null;
  beta: number | null;
  rho: number | null;
};

/**
 * The areas a query without areaId ran over, "everything the viewer may see": '*' for a viewer
 * bound to no area, else the viewer's subtrees (paths, sorted). Its suggestion IDs record it, so
 * acceptance re-runs the query over those areas, not over the acceptor's (where other communities
 * would compete for the budget and the kept numbers would not be the ones shown).
 */
export type QueryScope = '*' | string[];

/** A computed answer: the API shape, the engine's raw output (for snapshots), the query, and the instant it was computed for. */
export interface ComputedSuggestions {
  result: ProjectSuggestionResult;
  raw: SuggestionResult;
  query: SuggestionQuery;
  period: { from: string; to: string };
  now: Date;
}

/**
 * How a run is repeated: `over`, for a query without areaId, the areas to run it over instead of
 * the viewer's own (an accepted suggestion's recorded scope), all of which the viewer must see;
 * `now`, the instant to compute for instead of the present one (an accepted suggestion's).
 */
export interface RerunOptions {
  over?: QueryScope;
  now?: Date;
}

const COMMUNITY_LEVEL_TYPES = ['District', 'Street', 'Community'];

export function normalizeQuery(input: ProjectSuggestionsInput): SuggestionQuery {
  return {
    budget: input.budget,
    areaId: input.areaId ?? null,
    from: input.from ?? null,
    to: input.to ?? null,
    lastDays: input.lastDays ?? null,
    requiredGroups: [...new Set(input.requiredGroups ?? [])].sort(),
    perCommunityMaxProjects: input.perCommunityMaxProjects ?? null,
    perCommunityMaxCost: input.perCommunityMaxCost ?? null,
    allowedTemplateIds: input.allowedTemplateIds ? [...new Set(input.allowedTemplateIds)].sort() : null,
    beta: input.beta ?? null,
    rho: input.rho ?? null,
  };
}

/**
 * A digest of the numbers a candidate shows and a project keeps (benefit, each cell's C, n and v,
 * costs, beneficiaries, the resources matched), rounded as shown, not of its place in the
 * selection: accepting one suggestion of a run leaves the others' numbers, and so their IDs, good.
 */
export function suggestionFingerprint(candidate: CandidateOut): string {
  const numbers = [
    candidate.benefit, candidate.grossCost, candidate.matchedValue, candidate.netCost, candidate.beneficiaries,
    candidate.cells.map((cell) => [cell.categoryId, cell.volume, cell.score, cell.vulnerableShare]),
    candidate.matches.map((match) => [match.resourceId, match.quantity, match.value]),
  ];
  return createHash('sha256').update(JSON.stringify(numbers)).digest('base64url').slice(0, FINGERPRINT_LENGTH);
}

const FINGERPRINT_LENGTH = 16;

/**
 * An opaque ID for one candidate of one query: acceptSuggestion re-runs the query and finds it again.
 * `scope`: the areas a query without areaId ran over (null when it had one). It records the instant
 * and the period the numbers were computed for (a lastDays query, or one whose period runs to today,
 * gives other numbers later) and their fingerprint, so acceptance reproduces them or says they changed.
 */
export function encodeSuggestionId(computed: Pick<ComputedSuggestions, 'query' | 'period' | 'now'>, candidate: CandidateOut, scope: QueryScope | null): string {
  // Only what was given: a shorter ID, and the same query however it was written.
  const given = Object.fromEntries(Object.entries(computed.query).filter(([, value]) => value != null && !(Array.isArray(value) && value.length === 0)));
  const payload = {
    v: 2, t: candidate.templateId, c: candidate.communityId, q: given, ...(scope === null ? {} : { s: scope }),
    n: computed.now.toISOString(), p: [computed.period.from, computed.period.to], f: suggestionFingerprint(candidate),
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** A suggestion ID, read: what acceptSuggestion re-runs (query, scope, instant) and finds (candidate, fingerprint). */
export interface DecodedSuggestion {
  input: ProjectSuggestionsInput;
  scope: QueryScope | null;
  templateId: number;
  communityId: number;
  now: Date;
  fingerprint: string;
}

const AREA_PATH = /^\/(\d+\/)+$/;

/**
 * The query, its scope (see QueryScope; null when the query has an areaId), instant, period and
 * candidate of a suggestion ID, validated like a fresh input; BAD_USER_INPUT naming `field`
 * otherwise. Anyone can write an ID: the scope it records grants nothing (acceptance checks the
 * acceptor may see it), and its instant and period must be ones the query gives, not after `now`.
 */
export async function decodeSuggestionId(id: string, field: string, now: Date): Promise<DecodedSuggestion> {
  const refuse = () => badInput(field, 'is not a suggestion ID from projectSuggestions');
  let payload: { v?: unknown; t?: unknown; c?: unknown; q?: unknown; s?: unknown; n?: unknown; p?: unknown; f?: unknown };
  try {
    payload = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  // Version 1 kept lastDays but not the day it counted back from, nor the instant: its numbers cannot be reproduced.
  if (payload?.v === 1) throw badInput(field, 'is from before suggestion IDs recorded the period and the instant their numbers were computed for, so those numbers cannot be kept: run projectSuggestions again');
  if (!payload || payload.v !== 2 || !Number.isSafeInteger(payload.t) || !Number.isSafeInteger(payload.c) || !payload.q || typeof payload.q !== 'object') throw refuse();
  if (typeof payload.f !== 'string' || payload.f.length !== FINGERPRINT_LENGTH) throw refuse();
  // An instant as toISOString writes it, not after the present (a clock a moment ahead on another server is no forgery).
  const computedAt = typeof payload.n === 'string' ? new Date(payload.n) : null;
  if (!computedAt || Number.isNaN(computedAt.getTime()) || computedAt.toISOString() !== payload.n || computedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw refuse();
  const input = Object.assign(new ProjectSuggestionsInput(), payload.q);
  const known = new Set(Object.keys(normalizeQuery({ budget: 0 } as ProjectSuggestionsInput)));
  if (Object.keys(payload.q).some((key) => !known.has(key)) || (await validate(input, { forbidUnknownValues: false })).length > 0) throw refuse();
  // What GraphQL's scalars and enums would have checked on a fresh input.
  const day = (value: unknown) => value == null || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)));
  const groups = Object.values(ResidentGroup) as string[];
  if (!day(input.from) || !day(input.to) || typeof input.budget !== 'number' || !(input.requiredGroups ?? []).every((g) => groups.includes(g))) throw refuse();
  if (input.allowedTemplateIds != null && !(Array.isArray(input.allowedTemplateIds) && input.allowedTemplateIds.every((t) => typeof t === 'string'))) throw refuse();
  // The period recorded must be the one the query gives at the instant recorded, as the re-run will.
  const period = periodAt(computedAt, input);
  if (!period || !Array.isArray(payload.p) || payload.p.length !== 2 || payload.p[0] !== period.from || payload.p[1] !== period.to) throw refuse();
  const decoded = { input, templateId: payload.t as number, communityId: payload.c as number, now: computedAt, fingerprint: payload.f };
  if (input.areaId != null) {
    if (payload.s !== undefined) throw refuse();
    return { ...decoded, scope: null };
  }
  if (payload.s === undefined) throw refuse();
  const scope = payload.s;
  if (scope !== '*' && !(Array.isArray(scope) && scope.length <= 1000 && scope.every((path) => typeof path === 'string' && AREA_PATH.test(path)))) throw refuse();
  return { ...decoded, scope: scope === '*' ? '*' : [...new Set(scope as string[])].sort() };
}

/** How far ahead of this server's clock another server's may run when it computed a suggestion. */
const CLOCK_SKEW_MS = 60_000;

/** The period a query gives at an instant, or null when it gives none (a bad query). */
function periodAt(instant: Date, input: PeriodInput): { from: string; to: string } | null {
  try {
    return resolvePeriod(instant, input);
  } catch {
    return null;
  }
}

type Row = Record<string, string | number | null>;

/**
 * Runs the whole suggestion: validate, load (demand cells, templates, resources), solve, map.
 * One instant throughout (`rerun.now`, else the present): the period and the ranking's surge and
 * trend are computed for it, and the suggestion IDs record it.
 */
export async function computeSuggestions(ctx: AppContext, input: ProjectSuggestionsInput, rerun: RerunOptions = {}): Promise<ComputedSuggestions> {
  const loadStarted = performance.now();
  const { over } = rerun;
  const now = rerun.now ?? ctx.now();
  const period = resolvePeriod(now, input);
  let scope;
  try {
    scope = await authorizeArea(ctx, input.areaId, 'input.areaId', COMMUNITY_LEVEL_TYPES);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) throw badInput('input.areaId', 'no district, street or community has this ID');
    throw error;
  }
  let paths = scope.paths;
  if (input.areaId == null && over !== undefined) {
    // The caller has said why not already (acceptSuggestion); this only keeps the run inside the viewer's areas.
    if (over === '*' ? scopePathsOf(ctx.viewer) !== null : !over.every((path) => pathInScope(ctx.viewer, path))) throw forbidden('the query would run over areas beyond those you may see');
    paths = over === '*' ? null : over;
  }
  const querying: QueryScope | null = input.areaId != null ? null : paths === null ? '*' : [...paths].sort();
  const allowed = await allowedTemplates(ctx, input.allowedTemplateIds);
  const where = pathCondition(paths, 'a.path');
  const [communities, templates, categories, demand] = await Promise.all([
    ctx.em.execute<Row[]>(`select a.id, a.name from area a where a.level = 'COMMUNITY' and ${where.sql} order by a.id`, where.bindings),
    ctx.em.find(ProjectTemplate, { active: true }, { orderBy: { id: 'ASC' } }),
    ctx.em.execute<Row[]>('select id, code, parent_id from request_category'),
    loadDemandCells(ctx, { paths }, period, now),
  ]);
  const communityIds = communities.map((row) => Number(row.id));
  const [resources, activeProjects] = await Promise.all([loadResources(ctx, communityIds), loadActiveProjects(ctx, communityIds)]);
  const loadMs = performance.now() - loadStarted;

  const query = normalizeQuery(input);
  const raw = suggestProjects({
    cells: demand.cells,
    templates: templates.map((template) => templateSpec(template, categories)),
    communities: communities.map((row) => ({ id: Number(row.id), name: String(row.name) })),
    resources,
    activeProjects,
    budget: input.budget,
    constraints: {
      requiredGroups: query.requiredGroups as GroupName[],
      perCommunityMaxProjects: query.perCommunityMaxProjects,
      perCommunityMaxCost: query.perCommunityMaxCost,
      allowedTemplateIds: allowed,
    },
    params: { beta: query.beta ?? undefined, rho: query.rho },
    scoreSource: demand.scoreSource,
  });
  const toSuggestion = (c: CandidateOut): ProjectSuggestion => ({
    templateId: c.templateId,
    communityId: c.communityId,
    suggestionId: encodeSuggestionId({ query, period, now }, c, querying),
    label: `${c.templateName} · ${c.communityName}`,
    kind: c.kind as ProjectKind,
    targetGroups: c.targetGroups as ResidentGroup[],
    servesRequiredGroups: c.servesRequiredGroups as ResidentGroup[],
    grossCost: c.grossCost,
    matchedValue: c.matchedValue,
    netCost: c.netCost,
    costUnits: c.costUnits,
    benefit: c.benefit,
    benefitFormula: c.benefitFormula,
    rho: c.rho,
    beta: c.beta,
    coveredCells: c.cells.map(({ metrics, ...cell }) => ({ ...cell, metricValues: metrics })),
    beneficiaries: c.beneficiaries,
    beneficiaryFormula: c.beneficiaryFormula,
    benefitPer10kYuan: c.benefitPer10kYuan,
    matchedResources: c.matches.map((m) => ({ ...m, kind: m.kind as ResourceType })),
    selected: c.selected,
    inGreedy: c.inGreedy,
    reasons: c.reasons,
    bindingConstraints: c.bindingConstraints as BindingConstraint[],
  });
  const labelOf = new Map([...raw.selected, ...raw.rejected].map((c) => [`${c.templateId}:${c.communityId}`, `${c.templateName} · ${c.communityName}`]));
  const result: ProjectSuggestionResult = {
    selected: raw.selected.map(toSuggestion),
    rejectedPage: (offset, count) => raw.rejected.slice(offset, offset + count).map(toSuggestion),
    rejectedCount: raw.rejected.length,
    totals: raw.totals,
    greedy: {
      sameAsExact: raw.greedy.sameAsExact,
      feasible: raw.greedy.feasible,
      benefit: raw.greedy.benefit,
      spent: raw.greedy.spent,
      selected: raw.greedy.selectedKeys.map((key) => labelOf.get(key) ?? key),
      onlyInExact: raw.greedy.onlyInExact.map((key) => labelOf.get(key) ?? key),
      onlyInGreedy: raw.greedy.onlyInGreedy.map((key) => labelOf.get(key) ?? key),
      explanation: raw.greedy.explanation,
    },
    bindingConstraints: raw.bindingConstraints as BindingConstraint[],
    unservableGroups: raw.unservableGroups as ResidentGroup[],
    assumptions: raw.assumptions,
    parameters: {
      beta: raw.params.beta,
      rho: raw.params.rho,
      from: period.from,
      to: period.to,
      requiredGroups: query.requiredGroups,
      perCommunityMaxProjects: query.perCommunityMaxProjects,
      perCommunityMaxCost: query.perCommunityMaxCost,
    },
    demand: { latestDay: demand.snapshot.latestDay, recordsCounted: demand.snapshot.recordsCounted, cells: demand.cells.length, scoreSource: demand.scoreSource },
    solver: {
      ...raw.stats,
      engineMs: raw.stats.elapsedMs,
      loadMs: Math.round(loadMs * 10) / 10,
      candidatesMs: raw.stats.phaseMs.candidates,
      selectionMs: raw.stats.phaseMs.selection,
      explanationMs: raw.stats.phaseMs.explanation,
    },
  };
  return { result, raw, query, period, now };
}

/** Database ids of the allowed templates (null: all), each checked: BAD_USER_INPUT naming its position when unknown or retired. */
async function allowedTemplates(ctx: AppContext, ids: readonly string[] | null | undefined): Promise<number[] | null> {
  if (!ids) return null;
  const decoded = ids.map((id, index) => expectGlobalId(id, ['ProjectTemplate'], `input.allowedTemplateIds.${index}`).id);
  const found = new Map((await ctx.em.find(ProjectTemplate, { id: { $in: decoded } })).map((t) => [t.id, t]));
  decoded.forEach((id, index) => {
    const template = found.get(id);
    if (!template) throw badInput(`input.allowedTemplateIds.${index}`, `no project template has the ID ${toGlobalId('ProjectTemplate', id)}`);
    if (!template.active) throw badInput(`input.allowedTemplateIds.${index}`, `the template ${template.code} is retired`);
  });
  return decoded;
}

/** A template for the engine: its category codes become ids (a first-level code brings its children). */
function templateSpec(template: ProjectTemplate, categories: Row[]): TemplateSpec {
  const byCode = new Map(categories.map((row) => [String(row.code), row]));
  const categoryIds = new Set<number>();
  const families = new Set<number>();
  for (const code of template.categoryCodes) {
    const row = byCode.get(code);
    if (!row) continue; // a category deleted since: nothing to cover
    const id = Number(row.id);
    categoryIds.add(id);
    if (row.parent_id == null) {
      families.add(id);
      for (const child of categories) if (Number(child.parent_id) === id) categoryIds.add(Number(child.id));
    } else families.add(Number(row.parent_id));
  }
  return {
    id: template.id,
    code: template.code,
    name: template.name,
    kind: template.kind,
    cost: template.cost,
    categoryIds: [...categoryIds],
    categoryFamilyIds: [...families],
    targetGroups: template.targetGroups as GroupName[],
    needs: template.resourceNeeds.map((need) => ({ kind: need.kind as ResourceKind, quantity: need.quantity, unitValue: need.unitValue })),
    rho: template.expectedReduction,
    beneficiaryRule: template.beneficiaryRule,
    beneficiaryFactor: template.beneficiaryFactor,
  };
}

/**
 * Open capacity of the RESOURCE items on the communities' own four lists (not CLOSED, with
 * something left after claims). MONEY counts in yuan: its remaining quantity when metered, else
 * its value. Other kinds: remaining quantity (null: not metered), worth value / quantity per unit.
 */
async function loadResources(ctx: AppContext, communityIds: number[]): Promise<ResourceSpec[]> {
  if (communityIds.length === 0) return [];
  const rows = await ctx.em.execute<Row[]>(
    `select li.id, li.title, li.resource_type, li.quantity, li.value, li.unit_id, u.name as unit_name, pl.community_id, coalesce(c.parent_id, c.id) as family
       from list_item li join problem_list pl on pl.id = li.list_id join unit u on u.id = li.unit_id
       left join request_category c on c.id = li.category_id
      where li.kind = 'RESOURCE' and li.status <> 'CLOSED' and pl.community_id in (${communityIds.map(() => '?').join(', ')})
      order by li.id`,
    communityIds,
  );
  const used = await usedQuantities(ctx.em, rows.map((row) => Number(row.id)));
  return rows.flatMap((row): ResourceSpec[] => {
    const quantity = row.quantity == null ? null : Number(row.quantity);
    const value = row.value == null ? null : Number(row.value);
    const remaining = quantity == null ? null : Math.max(0, quantity - (used.get(Number(row.id)) ?? 0));
    const kind = String(row.resource_type) as ResourceKind;
    const money = kind === ResourceType.MONEY;
    const capacity = money ? remaining ?? value ?? 0 : remaining;
    if (capacity !== null && capacity <= 0) return [];
    return [{
      id: Number(row.id),
      title: String(row.title),
      unitId: Number(row.unit_id),
      unitName: String(row.unit_name),
      communityId: Number(row.community_id),
      kind,
      capacity,
      unitValue: money ? 1 : quantity && value != null ? value / quantity : null,
      categoryFamilyId: row.family == null ? null : Number(row.family),
    }];
  });
}

/** The projects under way in the communities: their template is not suggested there again. */
async function loadActiveProjects(ctx: AppContext, communityIds: number[]): Promise<ActiveProjectSpec[]> {
  if (communityIds.length === 0) return [];
  const rows = await ctx.em.execute<Row[]>(
    `select id, template_id, community_id, status from livelihood_project
      where template_id is not null and status in (${ACTIVE_PROJECT_STATUSES.map(() => '?').join(', ')}) and community_id in (${communityIds.map(() => '?').join(', ')})
      order by id`,
    [...ACTIVE_PROJECT_STATUSES, ...communityIds],
  );
  return rows.map((row) => ({ templateId: Number(row.template_id), communityId: Number(row.community_id), label: toGlobalId('LivelihoodProject', Number(row.id)), status: String(row.status) }));
}

/** projectSuggestions. */
export const suggestionService = {
  async suggest(ctx: AppContext, input: ProjectSuggestionsInput): Promise<ProjectSuggestionResult> {
    return (await computeSuggestions(ctx, input)).result;
  },
};

import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { todayInChina } from '../../common/dates';
import { AppError, ErrorCode, badInput, conflict, forbidden } from '../../common/errors';
import { fromGlobalId, toGlobalId } from '../../common/global-id';
import { loadByGlobalId, loadForUpdate, lockById } from '../../common/lookup';
import { OrderDirection, paginate, type ConnectionResult, type Ordering } from '../../common/pagination';
import { nextState } from '../../common/state-machine';
import { inTransaction, refuseNulls } from '../../common/transaction';
import { actorOf, type AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { assertAreaWritable } from '../area/area.service';
import { authorizeArea, pathInScope, scopePathsOf } from '../identity/access';
import { nestedAreaPathCondition } from '../identity/scope.rules';
import { Unit } from '../unit/unit.entity';
import type { CandidateOut, ResourceMatchOut } from '../../../analytics';
import { ListItem, ListItemStatus } from '../list/list.entity';
import { usedQuantities } from '../list/list.relations';
import { remainingOf } from '../list/list.rules';
import {
  FundingSourceKind, LivelihoodProject, PROJECT_NAME_LENGTH, ProjectEvent, ProjectEventKind, ProjectFunding, ProjectKind, ProjectResource, ProjectStatus, ProjectTemplate,
} from './project.entity';
import { ACTIVE_PROJECT_STATUSES, PROJECT_MOVES, assertFunding, assertMayMove, assertWithinCap } from './project.rules';
import type {
  AcceptSuggestionInput, CancelProjectInput, FundingSourceInput, LivelihoodProjectListArgs, ProjectStepInput, RecordAcceptanceInput, ReportProgressInput,
  UpdateLivelihoodProjectInput,
} from './livelihood.inputs';
import { computeSuggestions, decodeSuggestionId, suggestionFingerprint, type QueryScope } from './suggestion.service';
import { cutText } from '../../common/text';

/** Newest first. */
export const PROJECT_ORDER: Ordering = { property: 'id', direction: OrderDirection.DESC };

/** Yuan to the fen, as funding amounts are kept. */
const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * 民生项目: accepted from a suggestion (the suggestion's numbers and explanation are kept with
 * the project), then approved, started, reported on and accepted (验收), or cancelled. Every step
 * locks the project row, moves through PROJECT_MOVES, appends one ledger entry and moves the
 * version (even when only the funding or the ledger changed), in one
 * transaction: an illegal move is ILLEGAL_TRANSITION and writes nothing.
 */
export const livelihoodService = {
  async list(ctx: AppContext, args: LivelihoodProjectListArgs): Promise<ConnectionResult<LivelihoodProject>> {
    const filter = args.filter ?? {};
    const where: FilterQuery<LivelihoodProject>[] = [];
    // Scoped like every area question: inside `within`, and never outside what the viewer may see.
    const scope = await authorizeArea(ctx, filter.within, 'filter.within');
    if (scope.paths) where.push(nestedAreaPathCondition('community', scope.paths) as FilterQuery<LivelihoodProject>);
    if (filter.communityId) where.push({ community: (await loadByGlobalId(ctx.em, Community, filter.communityId, 'filter.communityId')).id });
    if (filter.templateId) where.push({ template: (await loadByGlobalId(ctx.em, ProjectTemplate, filter.templateId, 'filter.templateId')).id });
    if (filter.statuses?.length) where.push({ status: { $in: filter.statuses } });
    return paginate(ctx.em, LivelihoodProject, { $and: where }, PROJECT_ORDER, args);
  },

  /**
   * A suggestion becomes a PROPOSED project; its query is re-run so the snapshot is the server's, not
   * the client's: for the instant and period the ID records, so the numbers are the ones shown, or
   * CONFLICT when the data changed since (numbers other than those shown are never kept).
   */
  async acceptSuggestion(ctx: AppContext, input: AcceptSuggestionInput): Promise<LivelihoodProject> {
    const decoded = await decodeSuggestionId(input.suggestionId, 'input.suggestionId', ctx.now());
    // Where the project would go is known from the ID: writing outside one's area is FORBIDDEN, before
    // the query is re-run inside the viewer's scope (which would not find the candidate at all).
    await assertAreaWritable(ctx, ctx.em, decoded.communityId, 'LivelihoodProject');
    await assertQueryAreaVisible(ctx, decoded.input.areaId, decoded.communityId);
    const over = decoded.scope === null ? undefined : await assertQueryScopeVisible(ctx, decoded.scope, decoded.communityId);
    let computed;
    try {
      computed = await computeSuggestions(ctx, decoded.input, { over, now: decoded.now });
    } catch (error) {
      // The query was valid when issued; what fails now (a retired template, a deleted area) is about the suggestion.
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) throw badInput('input.suggestionId', `its query no longer holds: ${error.message}`);
      throw error;
    }
    const candidate = [...computed.raw.selected, ...computed.raw.rejected].find((c) => c.templateId === decoded.templateId && c.communityId === decoded.communityId);
    if (!candidate) throw badInput('input.suggestionId', 'the template no longer has demand in this community for that period, or is retired: run projectSuggestions again');
    const budget = input.budget ?? candidate.grossCost;
    const sources = input.fundingSources ?? (input.budget != null ? [{ kind: FundingSourceKind.GOVERNMENT, amount: budget }] : defaultFunding(candidate));
    assertWithinCap(candidate.kind as ProjectKind, budget, 'input.budget', 'has a budget of');
    assertFunding(sources, budget);
    const snapshot = {
      suggestionId: input.suggestionId,
      computedAt: computed.now.toISOString(),
      query: computed.query,
      period: computed.period,
      suggestion: candidate,
      totals: computed.raw.totals,
      solver: computed.raw.stats,
      assumptions: computed.raw.assumptions,
      demand: computed.result.demand,
    };
    return inTransaction(ctx, async (em) => {
      // One active project per template and community; the template row serialises acceptances.
      const template = await lockById(em, ProjectTemplate, candidate.templateId);
      if (!template) throw badInput('input.suggestionId', 'its template no longer exists');
      const community = await em.findOneOrFail(Community, { id: candidate.communityId });
      const existing = await em.findOne(LivelihoodProject, { template: template.id, community: community.id, status: { $in: [...ACTIVE_PROJECT_STATUSES] } });
      if (existing) throw conflict(`${community.name} already has an active ${template.name} project (${existing.globalId}, ${existing.status})`, 'input.suggestionId');
      // After the check above, whose answer says more: a project accepted since also takes its resources.
      if (suggestionFingerprint(candidate) !== decoded.fingerprint) {
        throw conflict(
          `its numbers have changed since it was computed (records imported, or co-building resources taken or freed, since ${computed.now.toISOString()}; `
            + `its benefit is now ${candidate.benefit}, its net cost ${candidate.netCost} yuan): run projectSuggestions again`,
          'input.suggestionId',
        );
      }
      const project = em.create(LivelihoodProject, {
        // The default joins two names of up to 100 and 60 characters: cut to what the column holds.
        name: input.name ?? cutText(`${community.name}${template.name}`, PROJECT_NAME_LENGTH),
        community,
        template,
        kind: template.kind,
        budget,
        targetGroups: [...new Set(input.targetGroups ?? template.targetGroups)],
        expectedBeneficiaries: input.expectedBeneficiaries ?? candidate.beneficiaries,
        status: ProjectStatus.PROPOSED,
        progress: 0,
        suggestionId: input.suggestionId,
        suggestion: snapshot as unknown as Record<string, unknown>,
      });
      await replaceFunding(em, project, sources, 'input.fundingSources');
      // The default funding counts the matched resources as the units' contribution: take them.
      if (input.fundingSources == null && input.budget == null) await takeResources(em, project, candidate.matches);
      await appendEvent(em, ctx, project, ProjectEventKind.PROPOSED, null, input.note ?? `accepted from the suggestion ${candidate.templateName} · ${candidate.communityName} (${candidate.selected ? 'selected' : 'not selected'}; benefit ${candidate.benefit}, net ${candidate.netCost} yuan)`);
      await em.flush();
      return project;
    });
  },

  /** Edits a PROPOSED project; the budget stays within the cap and the funding adds up to it. */
  async update(ctx: AppContext, id: string, input: UpdateLivelihoodProjectInput): Promise<LivelihoodProject> {
    refuseNulls(input, ['name', 'budget', 'fundingSources', 'targetGroups', 'expectedBeneficiaries']);
    return step(ctx, id, 'update', ProjectEventKind.UPDATED, input, async (project, em) => {
      const budget = input.budget ?? project.budget;
      assertWithinCap(project.kind, budget, 'input.budget', 'has a budget of');
      if (input.fundingSources) {
        assertFunding(input.fundingSources, budget);
        const before = await em.find(ProjectFunding, { project: project.id });
        const after = await replaceFunding(em, project, input.fundingSources, 'input.fundingSources');
        await retakeResources(em, project, before, after);
      } else if (input.budget != null) {
        const current = await em.find(ProjectFunding, { project: project.id });
        try {
          assertFunding(current.map((f) => ({ kind: f.kind, unitId: f.unit ? 'unit' : null, amount: f.amount })), budget);
        } catch {
          throw badInput('input.fundingSources', 'give the funding sources for the new budget: the present ones add up to the old one');
        }
      }
      if (input.name != null) project.name = input.name;
      if (input.targetGroups != null) project.targetGroups = [...new Set(input.targetGroups)];
      if (input.expectedBeneficiaries != null) project.expectedBeneficiaries = input.expectedBeneficiaries;
      project.budget = budget;
    });
  },

  approve(ctx: AppContext, id: string, input: ProjectStepInput = {}): Promise<LivelihoodProject> {
    return step(ctx, id, 'approve', ProjectEventKind.APPROVED, input, (project) => void (project.approvedAt = ctx.now()));
  },

  start(ctx: AppContext, id: string, input: ProjectStepInput = {}): Promise<LivelihoodProject> {
    return step(ctx, id, 'start', ProjectEventKind.STARTED, input, (project) => void (project.startedAt = ctx.now()));
  },

  reportProgress(ctx: AppContext, id: string, input: ReportProgressInput): Promise<LivelihoodProject> {
    return step(ctx, id, 'report progress on', ProjectEventKind.PROGRESS, input, (project) => {
      if (input.progress < project.progress) throw badInput('input.progress', `progress never goes back: it is ${project.progress}% now`);
      project.progress = input.progress;
    });
  },

  /** 验收: the acceptance record; progress becomes 100. */
  recordAcceptance(ctx: AppContext, id: string, input: RecordAcceptanceInput): Promise<LivelihoodProject> {
    return step(ctx, id, 'accept', ProjectEventKind.ACCEPTED, input, (project) => {
      const today = todayInChina(ctx.now());
      const acceptedOn = input.acceptedOn ?? today;
      if (acceptedOn > today) throw badInput('input.acceptedOn', `cannot be in the future (today is ${today})`);
      const started = project.startedAt ? todayInChina(project.startedAt) : null;
      if (started && acceptedOn < started) throw badInput('input.acceptedOn', `cannot be before the project started (${started})`);
      project.acceptedOn = acceptedOn;
      project.actualBeneficiaries = input.actualBeneficiaries;
      project.actualCost = input.actualCost;
      project.acceptanceNote = input.note ?? null;
      project.progress = 100;
    });
  },

  cancel(ctx: AppContext, id: string, input: CancelProjectInput): Promise<LivelihoodProject> {
    return step(ctx, id, 'cancel', ProjectEventKind.CANCELLED, input, (project) => void (project.cancelledAt = ctx.now()));
  },
};

/** One move: lock, check the version, apply the table, change, append the ledger entry. */
async function step(
  ctx: AppContext,
  id: string,
  action: keyof typeof PROJECT_MOVES,
  kind: ProjectEventKind,
  input: { note?: string | null; expectedVersion?: number | null },
  apply: (project: LivelihoodProject, em: EntityManager) => void | Promise<void>,
): Promise<LivelihoodProject> {
  return inTransaction(ctx, async (em) => {
    const project = await loadForUpdate(em, LivelihoodProject, id, 'id');
    // A move may change only the ledger (progress reported unchanged), which the scope guard does not check.
    await assertAreaWritable(ctx, em, project.community.id, 'LivelihoodProject');
    // Approval and acceptance are the street's (OVERSIGHT_MOVES), not the proposing community's.
    await assertMayMove(ctx.viewer, action, () => em.findOneOrFail(Community, { id: project.community.id }));
    if (input.expectedVersion != null && input.expectedVersion !== project.version) {
      throw conflict(`the project is at version ${project.version}, not ${input.expectedVersion}: it changed since you read it`, 'input.expectedVersion');
    }
    const from = project.status;
    const to = nextState(PROJECT_MOVES, action, from, 'a project');
    const version = project.version;
    await apply(project, em);
    project.status = to;
    await appendEvent(em, ctx, project, kind, from, input.note ?? null);
    await em.flush();
    // Every step writes a ledger entry and is a change expectedVersion must see, even one that leaves
    // the project row as it was (only the funding replaced, the same progress reported again): the ORM
    // bumps the version only for a changed row, so bump it here (the row is ours, locked above).
    if (project.version === version) {
      await em.execute('update livelihood_project set version = version + 1 where id = ?', [project.id]);
      await em.refresh(project);
    }
    return project;
  });
}

/**
 * The query is re-run in the acceptor's name, so its area must be one they may see: a district's
 * (or street's) suggestion handed to a community's staff would read demand beyond their scope
 * (authorizeArea), and its numbers, kept with the project, are the district's. Rather than the
 * re-run's bare FORBIDDEN on an areaId the caller never gave, say what to do instead.
 */
async function assertQueryAreaVisible(ctx: AppContext, areaId: string | null | undefined, communityId: number): Promise<void> {
  if (areaId == null || scopePathsOf(ctx.viewer) === null) return;
  const decoded = fromGlobalId(areaId);
  const area = decoded ? await ctx.em.findOne(Area, { id: decoded.id }) : null;
  // An ID naming no area: the re-run refuses the query as no longer holding.
  if (!area || pathInScope(ctx.viewer, area.path)) return;
  throw computedBeyond(`for ${area.name}`, `an account whose area covers ${area.name}`, communityId);
}

/**
 * A query without areaId ran over everything its viewer could see, which its ID records (QueryScope):
 * it is re-run over those areas, not over the acceptor's, so the project keeps the numbers that were
 * shown. The acceptor must see all of them (the ID is the client's to write: it grants nothing);
 * otherwise FORBIDDEN, saying what to do, as for an areaId beyond theirs.
 */
async function assertQueryScopeVisible(ctx: AppContext, scope: QueryScope, communityId: number): Promise<QueryScope> {
  if (scope === '*') {
    if (scopePathsOf(ctx.viewer) !== null) throw computedBeyond('over all areas', 'an account that sees all areas', communityId);
    return scope;
  }
  const areas = await ctx.em.find(Area, { path: { $in: scope } }, { orderBy: { path: 'ASC' } });
  if (areas.length !== scope.length) throw badInput('input.suggestionId', 'its query no longer holds: an area it was computed over has moved or is gone: run projectSuggestions again');
  const beyond = areas.filter((area) => !pathInScope(ctx.viewer, area.path)).map((area) => area.name).join('、');
  if (beyond) throw computedBeyond(`over ${beyond}`, `an account whose area covers ${beyond}`, communityId);
  return scope;
}

function computedBeyond(where: string, whom: string, communityId: number): AppError {
  return forbidden(
    `this suggestion was computed ${where}, beyond the areas you may see, so it cannot be accepted in your name: `
      + `ask ${whom} to accept it, or run projectSuggestions with areaId ${toGlobalId('Community', communityId)} and accept the suggestion it gives`,
    'input.suggestionId',
  );
}

async function appendEvent(em: EntityManager, ctx: AppContext, project: LivelihoodProject, kind: ProjectEventKind, from: ProjectStatus | null, note: string | null): Promise<void> {
  const sequence = project.id ? (await em.count(ProjectEvent, { project: project.id })) + 1 : 1;
  em.create(ProjectEvent, {
    project,
    sequence,
    kind,
    fromStatus: from,
    toStatus: project.status,
    progress: kind === ProjectEventKind.PROGRESS || kind === ProjectEventKind.ACCEPTED ? project.progress : null,
    actor: actorOf(ctx),
    note,
  });
}

async function replaceFunding(em: EntityManager, project: LivelihoodProject, sources: readonly Pick<FundingSourceInput, 'kind' | 'unitId' | 'amount' | 'note'>[], field: string): Promise<ProjectFunding[]> {
  if (project.id) await em.nativeDelete(ProjectFunding, { project: project.id });
  const created: ProjectFunding[] = [];
  for (const [index, source] of sources.entries()) {
    const unit = source.unitId ? await loadByGlobalId(em, Unit, source.unitId, `${field}.${index}.unitId`) : null;
    created.push(em.create(ProjectFunding, { project, kind: source.kind, unit, amount: cents(source.amount), note: source.note ?? null }));
  }
  return created;
}

const yuan = (value: number) => cents(value).toLocaleString('en-US');

/** Yuan of UNIT sources per unit id. */
function givenByUnit(funding: readonly ProjectFunding[]): Map<number, number> {
  const given = new Map<number, number>();
  for (const source of funding) if (source.kind === FundingSourceKind.UNIT && source.unit) given.set(source.unit.id, cents((given.get(source.unit.id) ?? 0) + source.amount));
  return given;
}

/**
 * A hand edit of the funding of a project whose default funding took resources (takeResources):
 * what it takes follows what each unit now gives, so money a unit no longer gives is free for
 * another project and money it gives again is taken again. Per unit, the suggestion's matches of
 * that unit are taken in their order up to its new UNIT sources, at most what they matched (more
 * is the unit's pledge beyond its listed resources, as any UNIT source added by hand). Giving back
 * needs no lock; taking more locks the items as takeResources does (one by one in id order, after
 * the project row, then what is left of all in one statement) and is CONFLICT, writing nothing,
 * when a claim or another project took it since.
 */
async function retakeResources(em: EntityManager, project: LivelihoodProject, before: readonly ProjectFunding[], after: readonly ProjectFunding[]): Promise<void> {
  // Rows stay at quantity 0 when a unit gives nothing: they mark the project as counting on its matches.
  const taken = await em.find(ProjectResource, { project: project.id }, { orderBy: { resource: 'ASC' } });
  if (taken.length === 0) return; // funded by hand at acceptance, or accepted before resources were taken: nothing counted on
  const matches = ((project.suggestion?.suggestion as CandidateOut | undefined)?.matches ?? []);
  const toGive = givenByUnit(after);
  const wanted = new Map<number, number>();
  for (const match of matches) {
    if (!(match.value > 0) || !(match.unitSaving > 0)) continue; // saves nothing: the funding says nothing about it
    const budget = toGive.get(match.unitId) ?? 0;
    // In proportion to the value matched, not budget / unitSaving: unitSaving is rounded (down to the
    // millionth of a yuan; to the fen in suggestions kept before), and 4,999 / 3.33 yuan an hour
    // passed the 1,500 hours matched for 5,000.
    wanted.set(match.resourceId, budget >= match.value ? match.quantity : cents((match.quantity * budget) / match.value));
    toGive.set(match.unitId, cents(Math.max(0, budget - match.value)));
  }
  const more = taken.filter((row) => (wanted.get(row.resource.id) ?? row.quantity) > row.quantity);
  const items: ListItem[] = [];
  for (const row of more) {
    const item = await lockById(em, ListItem, row.resource.id);
    if (!item) throw conflict(`a resource the funding counts on is gone: lower the UNIT sources to what the project took`, 'input.fundingSources');
    if (item.status === ListItemStatus.CLOSED) throw conflict(`${item.title} is closed (used up and confirmed since): lower the UNIT sources to what the project took`, 'input.fundingSources');
    items.push(item);
  }
  // Read after every lock is held, in one statement for all of them.
  const used = await usedQuantities(em, items.map((item) => item.id));
  const unitBefore = givenByUnit(before);
  const unitAfter = givenByUnit(after);
  for (const [i, row] of more.entries()) {
    const item = items[i];
    const quantity = wanted.get(item.id)!;
    if (item.quantity != null) {
      // Used counts this project's own share already: what is left is what it may add.
      const left = remainingOf(item.quantity, used.get(item.id) ?? 0)!;
      if (quantity - row.quantity > left + 1e-9) {
        const unit = matches.find((m) => m.resourceId === item.id)!.unitId;
        throw conflict(
          `${item.title} has ${yuan(left)} left, not the ${yuan(quantity - row.quantity)} more the UNIT sources of ${yuan(unitBefore.get(unit) ?? 0)} → ${yuan(unitAfter.get(unit) ?? 0)} yuan count on (taken since): lower them, or free the resource first`,
          'input.fundingSources',
        );
      }
    }
  }
  for (const row of taken) row.quantity = wanted.get(row.resource.id) ?? row.quantity;
}

/** What the suggestion implies: each matched unit's contribution (cash or in kind), the government the rest. */
/**
 * Takes the co-building resources a project's default funding counts on from what they have left
 * (ProjectResource), each re-checked under its row lock, in id order after the template row: of
 * two acceptances counting on the same money, the second finds it taken (CONFLICT) instead of
 * funding a second project with it. The suggestion engine already offers only what is left.
 */
async function takeResources(em: EntityManager, project: LivelihoodProject, matches: readonly ResourceMatchOut[]): Promise<void> {
  const sorted = [...matches].sort((a, b) => a.resourceId - b.resourceId);
  const items: ListItem[] = [];
  for (const match of sorted) {
    const item = await lockById(em, ListItem, match.resourceId);
    if (!item) throw conflict(`the resource ${match.title} is gone: run projectSuggestions again`, 'input.suggestionId');
    // Suggestions offer no CLOSED resource; one closed since (its claim confirmed) is used up.
    if (item.status === ListItemStatus.CLOSED) throw conflict(`the resource ${match.title} is closed (used up and confirmed since): run projectSuggestions again`, 'input.suggestionId');
    items.push(item);
  }
  // Read after every lock is held, in one statement for all of them.
  const used = await usedQuantities(em, items.map((item) => item.id));
  for (const [i, match] of sorted.entries()) {
    const item = items[i];
    if (item.quantity == null) continue; // not metered: nothing is counted out of it
    const left = remainingOf(item.quantity, used.get(item.id) ?? 0)!;
    if (match.quantity > left) {
      throw conflict(`${match.title} has ${left} left, not the ${match.quantity} the suggestion counted on (taken since): run projectSuggestions again`, 'input.suggestionId');
    }
    em.create(ProjectResource, { project, resource: item, quantity: match.quantity });
  }
}

function defaultFunding(candidate: CandidateOut): Pick<FundingSourceInput, 'kind' | 'unitId' | 'amount' | 'note'>[] {
  const byUnit = new Map<number, { amount: number; parts: string[] }>();
  for (const match of candidate.matches) {
    const entry = byUnit.get(match.unitId) ?? { amount: 0, parts: [] };
    entry.amount = cents(entry.amount + match.value);
    entry.parts.push(match.kind === 'MONEY' ? `cash ${match.value}` : `in kind: ${match.title} ${match.quantity} (${match.kind})`);
    byUnit.set(match.unitId, entry);
  }
  const sources: Pick<FundingSourceInput, 'kind' | 'unitId' | 'amount' | 'note'>[] = [...byUnit.entries()].map(([unitId, entry]) => ({
    kind: FundingSourceKind.UNIT,
    unitId: toGlobalId('Unit', unitId),
    amount: entry.amount,
    note: cutText(entry.parts.join('; '), 200),
  }));
  if (candidate.netCost > 0) sources.push({ kind: FundingSourceKind.GOVERNMENT, unitId: null, amount: candidate.netCost, note: 'net cost after co-building units\' resources' });
  return sources;
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, forbidden } from '../../common/errors';
import type { Move } from '../../common/state-machine';
import type { Viewer } from '../../context/context';
import { actsAbove } from '../identity/access';
import { RequestCategory } from '../category/category.entity';
import { ResourceType } from '../list/list.entity';
import { COST_CAP, FundingSourceKind, ProjectKind, ProjectStatus, type ResourceNeed } from './project.entity';

/*
 * The rules of project templates and livelihood projects, each in one place.
 */

/** ρ when a template does not say (the reasoning is at DEFAULT_RHO in analytics/suggest/benefit.ts). */
export const DEFAULT_EXPECTED_REDUCTION = 0.3;

const yuan = (value: number) => value.toLocaleString('en-US');

/** A cost within the Shenzhen cap of its kind. */
export function assertWithinCap(kind: ProjectKind, amount: number, field: string, what = 'costs'): void {
  if (!(amount > 0)) throw badInput(field, 'must be more than 0');
  if (amount > COST_CAP[kind]) throw badInput(field, `a ${kind} project ${what} at most ${yuan(COST_CAP[kind])} yuan (the Shenzhen micro-project cap), not ${yuan(amount)}`);
}

/** At most one need per kind; MONEY saves 1 yuan per yuan; together they save no more than the cost. */
export function assertNeeds(needs: readonly ResourceNeed[], cost: number, field = 'input.resourceNeeds'): void {
  const seen = new Set<ResourceType>();
  needs.forEach((need, index) => {
    if (seen.has(need.kind)) throw badInput(`${field}.${index}.kind`, `${need.kind} is listed twice; give one need per kind`);
    seen.add(need.kind);
    if (need.kind === ResourceType.MONEY && need.unitValue !== 1) throw badInput(`${field}.${index}.unitValue`, 'a MONEY need saves 1 yuan per yuan: unitValue must be 1');
  });
  const saving = needs.reduce((sum, need) => sum + need.quantity * need.unitValue, 0);
  if (saving > cost + 0.005) throw badInput(field, `the needs could save ${yuan(Math.round(saving))} yuan, more than the ${yuan(cost)} yuan cost; lower a quantity or unit value`);
}

/** Every code names an active category; returns the codes trimmed, without repeats. */
export async function assertCategoryCodes(em: EntityManager, codes: readonly string[], field = 'input.categoryCodes'): Promise<string[]> {
  const cleaned = codes.map((code) => code.trim());
  const found = await em.find(RequestCategory, { code: { $in: cleaned } });
  const byCode = new Map(found.map((category) => [category.code, category]));
  cleaned.forEach((code, index) => {
    const category = byCode.get(code);
    if (!category) throw badInput(`${field}.${index}`, `no request category has the code "${code.slice(0, 40)}"`);
    if (!category.active) throw badInput(`${field}.${index}`, `the category ${code} is inactive`);
  });
  return [...new Set(cleaned)];
}

// ---------------------------------------------------------------------------
// Livelihood projects: THE transition table
// ---------------------------------------------------------------------------

const P = ProjectStatus;

/** PROPOSED → APPROVED → IN_PROGRESS → ACCEPTED (验收); cancelled before acceptance; edited only while PROPOSED. */
export const PROJECT_MOVES = {
  approve: { from: [P.PROPOSED], to: P.APPROVED },
  start: { from: [P.APPROVED], to: P.IN_PROGRESS },
  'report progress on': { from: [P.IN_PROGRESS], to: P.IN_PROGRESS },
  accept: { from: [P.IN_PROGRESS], to: P.ACCEPTED },
  cancel: { from: [P.PROPOSED, P.APPROVED, P.IN_PROGRESS], to: P.CANCELLED },
  update: { from: [P.PROPOSED], to: P.PROPOSED },
} satisfies Record<string, Move<ProjectStatus>>;

/**
 * The moves that are not the proposing community's own: the street (or district) above it approves
 * a project and accepts it (验收), as the 民生实事 process has it (街道党工委审议, 街道组织验收);
 * the community starts it, reports its progress, edits and cancels its own proposal.
 */
export const OVERSIGHT_MOVES: ReadonlySet<keyof typeof PROJECT_MOVES> = new Set(['approve', 'accept']);

/**
 * An oversight move needs a viewer acting from above the project's community (actsAbove): FORBIDDEN
 * otherwise. `community` is read only for an oversight move.
 */
export async function assertMayMove(viewer: Viewer, action: keyof typeof PROJECT_MOVES, community: () => Promise<{ path: string; name: string }>): Promise<void> {
  if (!OVERSIGHT_MOVES.has(action)) return;
  const { path, name } = await community();
  if (actsAbove(viewer, path)) return;
  const done = action === 'approve' ? 'approved' : 'accepted (验收)';
  throw forbidden(`a livelihood project of ${name} is ${done} by the street or district above it (street staff, a district administrator), not by the community's own staff`);
}

/** A project under way: not finished (ACCEPTED) or CANCELLED. A community has one per template at a time, and suggestions leave that pair out. */
export const ACTIVE_PROJECT_STATUSES: readonly ProjectStatus[] = [P.PROPOSED, P.APPROVED, P.IN_PROGRESS];

/** Funding: UNIT sources name their unit, others do not; amounts are positive and add up to the budget (to the fen). */
export function assertFunding(sources: readonly { kind: FundingSourceKind; unitId?: string | null; amount: number }[], budget: number, field = 'input.fundingSources'): void {
  if (sources.length === 0) throw badInput(field, 'a project needs at least one funding source');
  sources.forEach((source, index) => {
    if (!(source.amount > 0)) throw badInput(`${field}.${index}.amount`, 'must be more than 0');
    if (source.kind === FundingSourceKind.UNIT && !source.unitId) throw badInput(`${field}.${index}.unitId`, 'a UNIT source names its unit');
    if (source.kind !== FundingSourceKind.UNIT && source.unitId) throw badInput(`${field}.${index}.unitId`, `only a UNIT source names a unit, not a ${source.kind} source`);
  });
  const total = Math.round(sources.reduce((sum, source) => sum + source.amount, 0) * 100);
  if (total !== Math.round(budget * 100)) throw badInput(field, `the sources add up to ${yuan(total / 100)} yuan, not the budget of ${yuan(budget)} yuan`);
}

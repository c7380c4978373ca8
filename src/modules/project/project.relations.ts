import type DataLoader from 'dataloader';
import { OrderDirection, type Ordering } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { byForeignKey } from '../../context/loaders';
import { RequestCategory } from '../category/category.entity';
import { LivelihoodProject, ProjectEvent, ProjectFunding } from './project.entity';

export const fundingOfProject = byForeignKey('LivelihoodProject.fundingSources', ProjectFunding, 'project');
export const eventsOfProject = byForeignKey('LivelihoodProject.events', ProjectEvent, 'project');
export const projectsOfCommunity = byForeignKey('Community.livelihoodProjects', LivelihoodProject, 'community');
export const EVENT_ORDER: Ordering = { property: 'id', direction: OrderDirection.ASC };
/** A project has a handful of funding sources; one batched page holds them all. */
export const MAX_FUNDING_SOURCES = 100;

/** Request categories by code, batched per request (templates name categories by code). */
export function categoryByCodeLoader(ctx: AppContext): DataLoader<string, RequestCategory | null> {
  return ctx.loaders.get<string, RequestCategory | null>('RequestCategory.byCode', async (codes) => {
    const rows = await ctx.em.find(RequestCategory, { code: { $in: [...codes] } });
    const byCode = new Map(rows.map((row) => [row.code, row]));
    return codes.map((code) => byCode.get(code) ?? null);
  });
}

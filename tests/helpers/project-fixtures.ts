import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import { GROUP_BITS } from '../../src/modules/service-data/resident-groups';
import type { ResidentGroup } from '../../src/common/resident-group';
import type { TestApp } from './test-app';

/*
 * Demand for the suggestion tests, written straight into the roll-ups the suggestions read
 * (service_daily through a catalogue item of the category, request_daily by category), so
 * every volume and share is known by construction.
 */

const dbId = (globalId: string) => fromGlobalId(globalId)!.id;

/** Adds `count` one-window demands (no consultations) of a category in a community on a day. */
export async function addServiceDemand(app: TestApp, communityId: string, categoryCode: string, count: number, groups: `${ResidentGroup}`[] = [], day = '2026-06-15'): Promise<void> {
  const em = app.orm.em.fork();
  const [item] = await em.execute<{ id: number }[]>(
    `select i.id from service_item i join request_category c on c.id = i.category_id where c.code = ? and not i.is_consultation order by i.id limit 1`,
    [categoryCode],
  );
  if (!item) throw new Error(`no service item in ${categoryCode}`);
  const mask = groups.reduce((m, g) => m | GROUP_BITS[g as ResidentGroup], 0);
  await em.execute(
    `insert into service_daily (day, item_id, community_id, resident_groups, count, consultations, open, finished, close_seconds_sum, satisfaction_sum, satisfaction_count)
     values (?, ?, ?, ?, ?, 0, 0, ?, 0, 0, 0)
     on conflict (day, item_id, community_id, resident_groups) do update set count = service_daily.count + excluded.count, finished = service_daily.finished + excluded.finished`,
    [day, item.id, dbId(communityId), mask, count, count],
  );
}

/** Adds `count` resident requests of a category in a community on a day (to request_daily). */
export async function addRequestDemand(app: TestApp, communityId: string, categoryCode: string, count: number, day = '2026-06-15'): Promise<void> {
  await app.orm.em.fork().execute(
    `insert into request_daily (day, category_id, community_id, resident_groups, count, open, resolved, resolve_seconds_sum, satisfaction_sum, satisfaction_count)
     select ?, id, ?, 0, ?, 0, 0, 0, 0, 0 from request_category where code = ?`,
    [day, dbId(communityId), count, categoryCode],
  );
}

/** The global ID of a seeded project template, by code. */
export async function templateId(app: TestApp, code: string): Promise<string> {
  const [row] = await app.orm.em.fork().execute<{ id: number }[]>('select id from project_template where code = ?', [code]);
  if (!row) throw new Error(`no template ${code}`);
  return toGlobalId('ProjectTemplate', row.id);
}

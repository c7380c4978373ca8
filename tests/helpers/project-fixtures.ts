import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { fromGlobalId, toGlobalId } from '../../src/common/global-id';
import type { ResidentGroup } from '../../src/common/resident-group';
import { PROJECT_ROOT } from '../../src/config/paths';
import { GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { ok } from './fixtures';
import type { TestApp } from './test-app';

/*
 * Demand for the suggestion tests, written the way production writes it: one-window records
 * through the importer, resident requests through `createRequest`. Every roll-up (the ranking's
 * included) then holds exactly what the test planted.
 */

const dbId = (globalId: string) => fromGlobalId(globalId)!.id;
const gongjian = loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json'));
let planted = 0;

/** Adds `count` one-window demands (no consultations), finished two hours later, of a category in a community on a day. */
export async function addServiceDemand(app: TestApp, communityId: string, categoryCode: string, count: number, groups: `${ResidentGroup}`[] = [], day = '2026-06-15'): Promise<void> {
  const em = app.orm.em.fork();
  const [item] = await em.execute<{ code: string }[]>(
    `select i.code from service_item i join request_category c on c.id = i.category_id where c.code = ? and not i.is_consultation order by i.id limit 1`,
    [categoryCode],
  );
  if (!item) throw new Error(`no service item in ${categoryCode}`);
  const [community] = await em.execute<{ code: string }[]>('select code from area where id = ?', [dbId(communityId)]);
  const lines = [GONGJIAN_CSV_HEADER];
  for (let k = 0; k < count; k++) {
    lines.push(`fixture-${++planted},${item.code},${day} 10:00:00,${day} 12:00:00,FINISHED,${community.code},,,${groups.join('|')},COUNTER,,,`);
  }
  const db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  try {
    const summary = await importServiceFile({ db, input: Readable.from([Buffer.from(lines.join('\n') + '\n')]), fileName: 'fixture.csv', mapping: gongjian });
    if (summary.inserted !== count) throw new Error(`planted ${count} records, ${summary.inserted} went in`);
  } finally {
    await db.end();
  }
}

/** Adds `count` resident requests of a category in a community, received on a day (China noon). */
export async function addRequestDemand(app: TestApp, communityId: string, categoryCode: string, count: number, day = '2026-06-15'): Promise<void> {
  const [category] = await app.orm.em.fork().execute<{ id: number }[]>('select id from request_category where code = ?', [categoryCode]);
  app.clock.set(new Date(`${day}T04:00:00Z`));
  try {
    for (let k = 0; k < count; k++) {
      await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
        input: { title: '测试诉求', body: '测试', channel: 'COUNTER', categoryId: toGlobalId('RequestCategory', category.id), areaId: communityId },
      });
    }
  } finally {
    app.clock.reset();
  }
}

/** The global ID of a seeded project template, by code. */
export async function templateId(app: TestApp, code: string): Promise<string> {
  const [row] = await app.orm.em.fork().execute<{ id: number }[]>('select id from project_template where code = ?', [code]);
  if (!row) throw new Error(`no template ${code}`);
  return toGlobalId('ProjectTemplate', row.id);
}

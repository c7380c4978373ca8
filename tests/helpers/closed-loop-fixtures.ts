import { toGlobalId } from '../../src/common/global-id';
import { dbId, ok } from './fixtures';
import type { GraphQLResult, TestApp } from './test-app';

/** The write checks live in fixtures.ts and watch every table. */
export { expectNothingWritten, rawRow, rowCounts, type Table } from './fixtures';

/* Helpers for the four lists, claims and micro-wishes (fixtures.ts watches every table for writes). */

/** The global ID of a seeded request category, by code (e.g. HOUSING-REPAIR). */
export async function categoryId(app: TestApp, code: string): Promise<string> {
  const rows: { id: number }[] = await app.orm.em.fork().execute('select id from request_category where code = ?', [code]);
  if (!rows[0]) throw new Error(`no category ${code}`);
  return toGlobalId('RequestCategory', rows[0].id);
}

/** Point entries of a person (kind, amount, source), oldest first. */
export async function pointEntries(app: TestApp, personId: string): Promise<{ kind: string; amount: number; source_type: string; source_id: number }[]> {
  return app.orm.em.fork().execute('select kind, amount, source_type, source_id from point_entry where person_id = ? order by id', [dbId(personId)]);
}

export async function createProblemList(app: TestApp, communityId: string, period: string, title?: string): Promise<string> {
  const data = await ok(app, `mutation($input: CreateProblemListInput!) { createProblemList(input: $input) { id } }`, { input: { communityId, period, title } });
  return data.createProblemList.id;
}

export async function addListItem(app: TestApp, input: Record<string, unknown>): Promise<string> {
  const data = await ok(app, `mutation($input: AddListItemInput!) { addListItem(input: $input) { id } }`, { input });
  return data.addListItem.id;
}

export async function createPairing(app: TestApp, unitId: string, communityId: string, startsOn = '2020-01-01', endsOn: string | null = null): Promise<string> {
  const data = await ok(app, `mutation($input: CreatePairingInput!) { createPairing(input: $input) { id } }`, {
    input: { unitId, communityId, startsOn, endsOn, agreementTitle: '共驻共建协议书', duties: ['共建'] },
  });
  return data.createPairing.id;
}

/** Runs two operations at the same time (each with its own request context and connection). */
export async function concurrently(app: TestApp, first: [string, Record<string, unknown>], second: [string, Record<string, unknown>]): Promise<[GraphQLResult, GraphQLResult]> {
  return Promise.all([app.execute(...first), app.execute(...second)]) as Promise<[GraphQLResult, GraphQLResult]>;
}

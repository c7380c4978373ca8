import { buildTree, buildUnits, dbId, ok, type Tree, type Units } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The `whistles` filters (`unitId`, `overdue`) are evaluated in the database. They once loaded the
 * matching whistle ids (every one, on every call) and sent them all back in an IN / NOT IN list,
 * for the rows and again for totalCount: on a city-wide dashboard over years of whistles, over
 * 65,535 of them (PostgreSQL's bind-parameter limit, which MikroORM 6 escapes only by writing the
 * values into the statement text), each call read 66,000 ids and sent two 450 KB statements
 * (900 KB with unitId and overdue: false), 3-5 s for an administrator, 7-10 s for a community.
 */

let app: TestApp;
let tree: Tree;
let units: Units;
const at = (local: string) => new Date(`${local}+08:00`);

// More overdue whistles than PostgreSQL takes bind parameters in one statement (65,535).
const OVERDUE = 66_000;
const ON_TIME = 300;
const NOT_DUE = 200;
const STOPPED_BEFORE_DUE = 100;
const TOTAL = OVERDUE + ON_TIME + NOT_DUE + STOPPED_BEFORE_DUE;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2025-03-01T09:00:00'));
  tree = await buildTree(app);
  units = await buildUnits(app, tree);
  const em = app.orm.em.fork();
  // One set-based statement: whistles blown by the community every half hour over the past years,
  // each calling the hospital (n ≤ OVERDUE: never reported, long past due; then reported and fed
  // back within the hour; then due only after now; then stopped an hour after it was blown, a day
  // before the deadline, nothing done), every tenth also the police station (answered in time).
  await em.execute(
    `with b as (select n, timestamptz '2020-01-01 09:00+08' + n * interval '30 minutes' as t,
                       case when n <= ? then 'overdue' when n <= ? then 'on time' when n <= ? then 'not due' else 'stopped' end as kind
                  from generate_series(1, ?) n),
          w as (insert into whistle (created_at, updated_at, blown_by_id, letter, blown_at, stopped_at)
                select t, t, ?, '联合处置函', t, case when kind = 'stopped' then t + interval '1 hour' end from b order by n
                returning id, blown_at),
          d as (select w.id, b.n, b.t, b.kind, case when b.kind = 'not due' then ?::timestamptz else b.t end as due,
                       case when b.kind = 'on time' then b.t + interval '1 hour' end as done
                  from w join b on b.t = w.blown_at),
          hospital as (insert into whistle_recipient (created_at, updated_at, whistle_id, unit_id, status, report_due_at, feedback_due_at, reported_at, answered_at)
                       select t, t, id, ?, case when kind = 'on time' then 'ANSWERED' else 'AWAITING_REPORT' end, due + interval '1 day', due + interval '3 days', done, done
                         from d)
     insert into whistle_recipient (created_at, updated_at, whistle_id, unit_id, status, report_due_at, feedback_due_at, reported_at, answered_at)
     select t, t, id, ?, 'ANSWERED', t + interval '1 day', t + interval '3 days', t, t from d where n % 10 = 0`,
    [OVERDUE, OVERDUE + ON_TIME, OVERDUE + ON_TIME + NOT_DUE, TOTAL, dbId(tree.communityId), app.clock.now().toISOString(), dbId(units.hospitalId), dbId(units.policeStationId)],
  );
  await em.execute('analyze whistle; analyze whistle_recipient');
});
afterAll(async () => {
  await app?.close();
});

const LISTS = `query($overdue: Boolean, $unitId: ID) {
  whistles(first: 5, filter: { overdue: $overdue, unitId: $unitId }) { totalCount pageInfo { hasNextPage } edges { node { id recipients { edges { node { overdue } } } } } }
}`;
/** The list, and the longest statement it sent: the filter travels as a condition, not as the ids it matches. */
async function list(overdue?: boolean, unitId?: string) {
  let whistles: any;
  const statements = await app.countStatements(async () => void (whistles = (await ok(app, LISTS, { overdue, unitId })).whistles));
  expect(Math.max(...statements.map((sql) => sql.length))).toBeLessThan(5_000);
  return whistles;
}

test('overdue: true and false list and count whistles beyond the bind-parameter limit, rows and totalCount alike', async () => {
  const [overdue, notOverdue, all] = [await list(true), await list(false), await list()];
  expect(all.totalCount).toBe(TOTAL);
  expect(overdue.totalCount).toBe(OVERDUE);
  expect(notOverdue.totalCount).toBe(ON_TIME + NOT_DUE + STOPPED_BEFORE_DUE);
  // The rows are what the filter says: each listed whistle has an overdue department, or none.
  expect(overdue.edges).toHaveLength(5);
  expect(overdue.pageInfo.hasNextPage).toBe(true);
  for (const edge of overdue.edges) expect(edge.node.recipients.edges.some((e: any) => e.node.overdue)).toBe(true);
  expect(notOverdue.edges).toHaveLength(5);
  for (const edge of notOverdue.edges) expect(edge.node.recipients.edges.some((e: any) => e.node.overdue)).toBe(false);
});

test('with unitId: the unit\'s departments alone decide, beyond the bind-parameter limit too', async () => {
  const [hospital, hospitalOverdue, hospitalNot] = [await list(undefined, units.hospitalId), await list(true, units.hospitalId), await list(false, units.hospitalId)];
  expect(hospital.totalCount).toBe(TOTAL);
  expect(hospitalOverdue.totalCount).toBe(OVERDUE);
  expect(hospitalNot.totalCount).toBe(ON_TIME + NOT_DUE + STOPPED_BEFORE_DUE);
  // The police station, on every tenth whistle, answered each in time: none of its whistles is overdue for it.
  const [police, policeOverdue, policeNot] = [await list(undefined, units.policeStationId), await list(true, units.policeStationId), await list(false, units.policeStationId)];
  expect(police.totalCount).toBe(Math.floor(TOTAL / 10));
  expect(policeOverdue.totalCount).toBe(0);
  expect(policeNot.totalCount).toBe(Math.floor(TOTAL / 10));
});

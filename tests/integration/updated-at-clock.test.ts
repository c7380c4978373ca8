import { PointRule } from '../../src/modules/points/points.entity';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * updatedAt tells time as the services do: the value a service sets (a request's step sets the
 * app's clock, `ctx.now()`, the time its ledger entry carries), else the app's clock of the request
 * that changed the row; only an EntityManager no request made (tools, seeding) uses the server's.
 */

let app: TestApp;
let w: World;
let lights: string;

const HOUR = 3600_000;
/** Far from the real clock, so a server timestamp cannot pass for it. */
const T0 = new Date('2031-03-03T09:00:00+08:00');

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  lights = await categoryId(app, 'HOUSING-LIGHTS');
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.reset());

const FIELDS = 'id status version createdAt updatedAt events { edges { node { kind createdAt } } }';

describe("a request's updatedAt", () => {
  test('is the app clock of its last step, the time of its last ledger entry, not the server\'s', async () => {
    app.clock.set(T0);
    const created = (
      await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { ${FIELDS} } }`, {
        input: { title: '楼道灯坏了', body: '3号楼楼道灯不亮', channel: 'GRID_PATROL', categoryId: lights, areaId: w.gridId },
      })
    ).createRequest;
    // Its number is written after the insert (an update): that keeps the moment it came in too.
    expect(created).toMatchObject({ createdAt: T0.toISOString(), updatedAt: T0.toISOString() });

    app.clock.advance(HOUR);
    const dispatched = (await ok(app, `mutation($id: ID!, $input: DispatchRequestInput!) { dispatchRequest(id: $id, input: $input) { ${FIELDS} } }`, { id: created.id, input: { assigneePersonId: w.partyMemberId } })).dispatchRequest;
    const at = new Date(T0.getTime() + HOUR).toISOString();
    expect(dispatched).toMatchObject({ status: 'DISPATCHED', version: created.version + 1, createdAt: T0.toISOString(), updatedAt: at });
    expect(dispatched.events.edges.at(-1).node).toEqual({ kind: 'DISPATCHED', createdAt: at });

    // A second step at the same moment (the clock has not moved): still that moment, and a new version.
    const taken = (await ok(app, `mutation($id: ID!) { takeRequest(id: $id) { ${FIELDS} } }`, { id: created.id })).takeRequest;
    expect(taken).toMatchObject({ status: 'TAKEN', version: created.version + 2, updatedAt: at });
    const [row] = await app.orm.em.fork().execute<{ updated_at: Date }[]>('select updated_at from request where id = ?', [dbId(created.id)]);
    expect(new Date(row.updated_at).toISOString()).toBe(at);
  });
});

describe('an update whose service sets no updatedAt', () => {
  const RULE = `{ pointRules { id kind description updatedAt } }`;
  const UPDATE = `mutation($id: ID!, $input: UpdatePointRuleInput!) { updatePointRule(id: $id, input: $input) { id description updatedAt } }`;

  test("takes the app clock of the request that made it", async () => {
    const rule = (await ok(app, RULE)).pointRules.find((r: any) => r.kind === 'MICRO_WISH_FULFILLED');
    const moment = new Date('2031-05-06T08:00:00+08:00');
    app.clock.set(moment);
    try {
      const updated = (await ok(app, UPDATE, { id: rule.id, input: { description: `${rule.description}（改）` } })).updatePointRule;
      expect(updated.updatedAt).toBe(moment.toISOString());
    } finally {
      await ok(app, UPDATE, { id: rule.id, input: { description: rule.description } });
    }
  });

  test("through an EntityManager no request made (tools, seeding): the server's clock; a value set by hand is kept", async () => {
    const em = app.orm.em.fork();
    const rule = await em.findOneOrFail(PointRule, { kind: 'CLAIM_CONFIRMED' as PointRule['kind'] });
    const before = Date.now();
    rule.description = `${rule.description}（工具）`;
    await em.flush();
    expect(rule.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(rule.updatedAt.getTime()).toBeLessThanOrEqual(Date.now());

    const byHand = new Date('2030-01-02T03:04:05.000Z');
    rule.description = rule.description.replace('（工具）', '');
    rule.updatedAt = byHand;
    await em.flush();
    const [row] = await app.orm.em.fork().execute<{ updated_at: Date }[]>('select updated_at from point_rule where id = ?', [rule.id]);
    expect(new Date(row.updated_at).toISOString()).toBe(byHand.toISOString());
  });
});

import { toGlobalId } from '../../src/common/global-id';
import { buildTree, buildWorld, createPartyOrganization, createPerson, dbId, expectError, ok, walkPages, type Tree, type World } from '../helpers/fixtures';
import { createActivity, createMember, expectNothingWritten, ledgerSum, rawRow, recordAttendance, signUp } from '../helpers/member-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';

let app: TestApp;
let w: World;

/** Tests run "on" 2026-06-15 10:00 China time unless they move the clock. */
const NOW = new Date('2026-06-15T10:00:00+08:00');

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(NOW);
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.set(NOW));

const CREATE = `mutation($input: CreateActivityInput!) { createActivity(input: $input) { id title kind startsAt endsAt capacity community { id } organizer { id } signUpCount attendanceCount } }`;
const SIGN_UP = `mutation($input: SignUpForActivityInput!) { signUpForActivity(input: $input) { id attendedAt activity { id } person { id } unit { id } } }`;
const ATTEND = `mutation($id: ID!) { recordAttendance(participationId: $id) { id attendedAt person { pointBalance } } }`;
const CANCEL = `mutation($id: ID!) { cancelSignUp(id: $id) }`;
const ACTIVITY = `query($id: ID!) { node(id: $id) { ... on Activity { signUpCount attendanceCount participants(first: 100) { totalCount edges { node { id person { id } attendedAt } } } } } }`;

/** An activity in the future (relative to NOW) in 幸福里社区. */
async function futureActivity(overrides: Record<string, unknown> = {}): Promise<string> {
  return createActivity(app, { communityId: w.communityId, startsAt: '2026-07-01T09:00:00+08:00', endsAt: '2026-07-01T11:00:00+08:00', ...overrides });
}

async function member(name: string, employerUnitId = w.units.hospitalId, communityId = w.communityId): Promise<string> {
  return createMember(app, { name, communityId, employerUnitId });
}

describe('createActivity', () => {
  test('returns the activity', async () => {
    const organizerId = await createPartyOrganization(app, { name: '幸福里社区党委', kind: 'COMMITTEE', areaId: w.communityId });
    const result = await ok(app, CREATE, {
      input: { communityId: w.communityId, organizerId, title: ' 七一主题党日 ', kind: 'THEME_PARTY_DAY', startsAt: '2026-07-01T09:00:00+08:00', endsAt: '2026-07-01T11:30:00+08:00', capacity: 40 },
    });
    expect(result.createActivity).toEqual({
      id: expect.any(String),
      title: '七一主题党日',
      kind: 'THEME_PARTY_DAY',
      startsAt: '2026-07-01T01:00:00.000Z',
      endsAt: '2026-07-01T03:30:00.000Z',
      capacity: 40,
      community: { id: w.communityId },
      organizer: { id: organizerId },
      signUpCount: 0,
      attendanceCount: 0,
    });
  });

  test('an organiser above the community (the street\'s committee) is fine', async () => {
    const streetCommittee = await createPartyOrganization(app, { name: '新华街道大工委', kind: 'COMMITTEE', areaId: w.streetId });
    const id = await futureActivity({ organizerId: streetCommittee, kind: 'VOLUNTEER_SERVICE', capacity: null });
    expect(id).toEqual(expect.any(String));
  });

  describe('refuses bad input and writes nothing', () => {
    let otherBranch: string;
    beforeAll(async () => {
      otherBranch = await createPartyOrganization(app, { name: '和平里网格党支部', kind: 'BRANCH', areaId: w.otherGridId });
    });
    const base = () => ({ communityId: w.communityId, title: '学习会', kind: 'STUDY', startsAt: '2026-07-02T09:00:00+08:00', endsAt: '2026-07-02T10:00:00+08:00' });
    const cases: [string, () => Record<string, unknown>, string, string | undefined][] = [
      ['endsAt equal to startsAt', () => ({ endsAt: '2026-07-02T09:00:00+08:00' }), 'BAD_USER_INPUT', 'input.endsAt'],
      ['endsAt before startsAt', () => ({ endsAt: '2026-07-02T08:00:00+08:00' }), 'BAD_USER_INPUT', 'input.endsAt'],
      ['longer than 7 days', () => ({ endsAt: '2026-07-09T09:00:01+08:00' }), 'BAD_USER_INPUT', 'input.endsAt'],
      ['starting on 1900-01-01', () => ({ startsAt: '1900-01-01T09:00:00+08:00', endsAt: '1900-01-01T10:00:00+08:00' }), 'BAD_USER_INPUT', 'input.endsAt'],
      ['already ended (yesterday)', () => ({ startsAt: '2026-06-14T09:00:00+08:00', endsAt: '2026-06-14T10:00:00+08:00' }), 'BAD_USER_INPUT', 'input.endsAt'],
      ['ending exactly now', () => ({ startsAt: '2026-06-15T09:00:00+08:00', endsAt: '2026-06-15T10:00:00+08:00' }), 'BAD_USER_INPUT', 'input.endsAt'],
      ['an empty title', () => ({ title: '' }), 'BAD_USER_INPUT', 'input.title'],
      ['a blank title', () => ({ title: '  ' }), 'BAD_USER_INPUT', 'input.title'],
      ['capacity 0', () => ({ capacity: 0 }), 'BAD_USER_INPUT', 'input.capacity'],
      ['an organiser of another community', () => ({ organizerId: otherBranch }), 'BAD_USER_INPUT', 'input.organizerId'],
      ['a missing organiser', () => ({ organizerId: toGlobalId('PartyOrganization', 999999) }), 'NOT_FOUND', 'input.organizerId'],
      ['a Grid as communityId', () => ({ communityId: w.gridId }), 'BAD_USER_INPUT', 'input.communityId'],
      ['a missing community', () => ({ communityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.communityId'],
      ['an unknown kind', () => ({ kind: 'PARTY' }), 'BAD_USER_INPUT', undefined],
      ['a startsAt that is not a time', () => ({ startsAt: 'tomorrow' }), 'BAD_USER_INPUT', undefined],
    ];
    test.each(cases)('%s', async (_label, overrides, code, field) => {
      expectError(await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), ...overrides() } })), code, field);
    });

    test('an activity that has already ended is refused with the reason; one already under way is created', async () => {
      const past = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...base(), startsAt: '1900-01-01T09:00:00+08:00', endsAt: '1900-01-01T10:00:00+08:00' } }));
      expectError(past, 'BAD_USER_INPUT', 'input.endsAt');
      expect(past.errors![0].message).toBe('input.endsAt: must be in the future: an activity that has already ended can take no sign-ups or attendance');
      const underWay = (await ok(app, CREATE, { input: { ...base(), startsAt: '2026-06-15T09:00:00+08:00', endsAt: '2026-06-15T10:00:01+08:00' } })).createActivity;
      expect(underWay).toMatchObject({ startsAt: '2026-06-15T01:00:00.000Z', endsAt: '2026-06-15T02:00:01.000Z' });
    });
  });
});

describe('activities list', () => {
  let tree: Tree;
  let ids: Record<string, string>;
  beforeAll(async () => {
    tree = await buildTree(app);
    const make = (communityId: string, kind: string, startsAt: string) =>
      createActivity(app, { communityId, kind, startsAt, endsAt: new Date(new Date(startsAt).getTime() + 3600_000).toISOString() });
    // Created out of time order: the list sorts by start time.
    ids = {
      c: await make(tree.communityId, 'STUDY', '2026-08-03T09:00:00+08:00'),
      a: await make(tree.communityId, 'THEME_PARTY_DAY', '2026-08-01T09:00:00+08:00'),
      d: await make(tree.otherCommunityId, 'WEEKLY_MENU', '2026-08-04T09:00:00+08:00'),
      b: await make(tree.communityId, 'THEME_PARTY_DAY', '2026-08-02T09:00:00+08:00'),
      e: await make(tree.otherCommunityId, 'MEETING', '2026-08-02T09:00:00+08:00'),
    };
  });
  const LIST = `query($filter: ActivityFilter, $first: Int, $after: String) {
    activities(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  }`;
  async function list(filter: Record<string, unknown>): Promise<string[]> {
    const data = await ok(app, LIST, { filter, first: 100 });
    expect(data.activities.totalCount).toBe(data.activities.edges.length);
    return data.activities.edges.map((e: any) => e.node.id);
  }

  test('filters by community, within, kinds and time, sorted by start time', async () => {
    expect(await list({ communityId: tree.communityId })).toEqual([ids.a, ids.b, ids.c]);
    expect(await list({ within: tree.streetId })).toEqual([ids.a, ids.b, ids.e, ids.c, ids.d]);
    expect(await list({ within: tree.districtId, kinds: ['THEME_PARTY_DAY', 'MEETING'] })).toEqual([ids.a, ids.b, ids.e]);
    expect(await list({ within: tree.districtId, from: '2026-08-02T09:00:00+08:00', to: '2026-08-04T09:00:00+08:00' })).toEqual([ids.b, ids.e, ids.c]);
    expectError(await app.execute(LIST, { filter: { communityId: tree.gridId } }), 'BAD_USER_INPUT', 'filter.communityId');
    expectError(await app.execute(LIST, { filter: { within: toGlobalId('District', 999999) } }), 'NOT_FOUND', 'filter.within');
  });

  test('a cursor whose start time was tampered with is BAD_USER_INPUT, not a database error', async () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify({ p: 'startsAt', d: 'ASC', v, i: 1 })).toString('base64url');
    for (const v of ['not-a-date', 12345, '99999-01-01T00:00:00.000Z']) {
      expectError(await app.execute(LIST, { first: 2, after: cursor(v) }), 'BAD_USER_INPUT', 'after');
    }
    expect((await app.execute(LIST, { first: 2, after: cursor('2026-08-02T01:00:00.000Z') })).errors).toBeUndefined();
  });

  test('pages by start time without gaps or repeats (ties broken by id)', async () => {
    const { ids: walked, pages } = await walkPages(app, LIST, 'activities', 2, { filter: { within: tree.districtId } });
    expect(walked).toEqual([ids.a, ids.b, ids.e, ids.c, ids.d]);
    expect(pages).toBe(3);
  });
});

describe('signUpForActivity and cancelSignUp', () => {
  test('stores the person\'s employer; a second sign-up is a CONFLICT', async () => {
    const activityId = await futureActivity();
    const personId = await member('报名党员', w.units.schoolId);
    const participation = (await ok(app, SIGN_UP, { input: { activityId, personId } })).signUpForActivity;
    expect(participation).toEqual({ id: expect.any(String), attendedAt: null, activity: { id: activityId }, person: { id: personId }, unit: { id: w.units.schoolId } });
    expect(await rawRow(app, 'activity_participation', participation.id)).toMatchObject({ unit_id: dbId(w.units.schoolId) });
    expectError(await expectNothingWritten(app, () => app.execute(SIGN_UP, { input: { activityId, personId } })), 'CONFLICT', 'input.personId');
    // A person without an employer signs up with no unit.
    const resident = await createPerson(app, { name: '普通居民', residenceCommunityId: w.communityId });
    expect((await ok(app, SIGN_UP, { input: { activityId, personId: resident } })).signUpForActivity.unit).toBeNull();
  });

  test('refuses a full activity, an ended one and bad ids; nothing written', async () => {
    const full = await futureActivity({ capacity: 1 });
    await signUp(app, full, await member('先报名'));
    // Created while still to come (an activity that has already ended cannot be created), then it ends.
    app.clock.set(new Date('2026-06-14T08:00:00+08:00'));
    const ended = await createActivity(app, { communityId: w.communityId, startsAt: '2026-06-14T09:00:00+08:00', endsAt: '2026-06-14T10:00:00+08:00' });
    app.clock.set(NOW);
    const personId = await member('后报名');
    const cases: [Record<string, string>, string, string][] = [
      [{ activityId: full, personId }, 'CONFLICT', 'input.activityId'],
      [{ activityId: ended, personId }, 'BAD_USER_INPUT', 'input.activityId'],
      [{ activityId: toGlobalId('Activity', 999999), personId }, 'NOT_FOUND', 'input.activityId'],
      [{ activityId: full, personId: toGlobalId('Person', 999999) }, 'NOT_FOUND', 'input.personId'],
      [{ activityId: w.communityId, personId }, 'BAD_USER_INPUT', 'input.activityId'],
    ];
    for (const [input, code, field] of cases) {
      expectError(await expectNothingWritten(app, () => app.execute(SIGN_UP, { input })), code, field);
    }
  });

  test('capacity holds under concurrency: 8 people race for 3 places, exactly 3 win', async () => {
    const activityId = await futureActivity({ capacity: 3 });
    const people: string[] = [];
    for (let i = 0; i < 8; i += 1) people.push(await member(`抢报名${i}`));
    const results = await Promise.all(people.map((personId) => app.execute(SIGN_UP, { input: { activityId, personId } })));
    expect(results.filter((r) => !r.errors).length).toBe(3);
    for (const lost of results.filter((r) => r.errors)) expectError(lost, 'CONFLICT', 'input.activityId');
    expect((await ok(app, ACTIVITY, { id: activityId })).node).toMatchObject({ signUpCount: 3, participants: { totalCount: 3 } });
  });

  test('one person signing up 5 times at once is signed up once', async () => {
    const activityId = await futureActivity();
    const personId = await member('重复报名');
    const results = await Promise.all(Array.from({ length: 5 }, () => app.execute(SIGN_UP, { input: { activityId, personId } })));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    for (const lost of results.filter((r) => r.errors)) expectError(lost, 'CONFLICT', 'input.personId');
    expect((await ok(app, ACTIVITY, { id: activityId })).node.signUpCount).toBe(1);
  });

  test('cancelSignUp before the start frees the place; not once it has started', async () => {
    const activityId = await futureActivity({ capacity: 1 });
    const first = await signUp(app, activityId, await member('取消报名'));
    expect((await ok(app, CANCEL, { id: first })).cancelSignUp).toBe(first);
    expect(await rawRow(app, 'activity_participation', first)).toBeUndefined();
    const second = await signUp(app, activityId, await member('补位报名'));
    app.clock.set(new Date('2026-07-01T09:00:00+08:00'));
    expectError(await expectNothingWritten(app, () => app.execute(CANCEL, { id: second }), [{ table: 'activity_participation', id: second }]), 'BAD_USER_INPUT', 'id');
    expectError(await app.execute(CANCEL, { id: first }), 'NOT_FOUND', 'id');
    expectError(await app.execute(CANCEL, { id: activityId }), 'BAD_USER_INPUT', 'id');
  });
});

describe('recordAttendance', () => {
  test('only after the start; once; earns ACTIVITY_ATTENDED points exactly once', async () => {
    const activityId = await futureActivity({ title: '志愿服务：清洁家园', kind: 'VOLUNTEER_SERVICE' });
    const personId = await member('签到党员');
    const participationId = await signUp(app, activityId, personId);
    const early = await expectNothingWritten(app, () => app.execute(ATTEND, { id: participationId }), [{ table: 'activity_participation', id: participationId }]);
    expectError(early, 'BAD_USER_INPUT', 'participationId');

    app.clock.set(new Date('2026-07-01T09:05:00+08:00'));
    const attended = (await ok(app, ATTEND, { id: participationId })).recordAttendance;
    expect(attended).toEqual({ id: participationId, attendedAt: '2026-07-01T01:05:00.000Z', person: { pointBalance: 2 } });
    const entries = await app.orm.em.fork().execute('select kind, amount, source_type, source_id from point_entry where person_id = ?', [dbId(personId)]);
    expect(entries).toEqual([{ kind: 'ACTIVITY_ATTENDED', amount: 2, source_type: 'ActivityParticipation', source_id: dbId(participationId) }]);

    const again = await expectNothingWritten(app, () => app.execute(ATTEND, { id: participationId }), [{ table: 'activity_participation', id: participationId }]);
    // Like every state machine's refused move (PARTICIPATION_MOVES in activity.rules.ts).
    expectError(again, 'ILLEGAL_TRANSITION', 'participationId');
    expect(again.errors![0].extensions).toMatchObject({ from: 'ATTENDED', action: 'record attendance for' });
    expect(await ledgerSum(app, personId)).toBe(2);
    expect((await ok(app, ACTIVITY, { id: activityId })).node).toMatchObject({ signUpCount: 1, attendanceCount: 1 });
  });

  test("staff bound to the participant cannot record their own attendance: points pay for work someone else verifies (it was recorded, 2 points to themselves)", async () => {
    const activityId = await futureActivity();
    const personId = await member('兼职社工党员');
    const participationId = await signUp(app, activityId, personId);
    app.clock.set(new Date('2026-07-01T09:05:00+08:00'));
    const themselves = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)], { personId: dbId(personId) });
    const own = await expectNothingWritten(app, () => app.execute(ATTEND, { id: participationId }, themselves), [{ table: 'activity_participation', id: participationId }]);
    expectError(own, 'FORBIDDEN');
    expect(await ledgerSum(app, personId)).toBe(0);
    const colleague = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
    expect((await app.execute(ATTEND, { id: participationId }, colleague)).errors).toBeUndefined();
    expect(await ledgerSum(app, personId)).toBe(2);
  });

  test('recorded 5 times at once: one success, one ledger entry', async () => {
    const activityId = await futureActivity();
    const personId = await member('并发签到');
    const participationId = await signUp(app, activityId, personId);
    app.clock.set(new Date('2026-07-01T10:00:00+08:00'));
    const results = await Promise.all(Array.from({ length: 5 }, () => app.execute(ATTEND, { id: participationId })));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    // The row lock makes them wait, then each finds the sign-up attended: the same answer as one sent after.
    for (const lost of results.filter((r) => r.errors)) expectError(lost, 'ILLEGAL_TRANSITION', 'participationId');
    expect(await ledgerSum(app, personId)).toBe(2);
  });

  test('the points entry copies a title of 200 characters whole, emoji included (it was cut at 200 UTF-16 units: half the title and half an emoji, stored as U+FFFD)', async () => {
    const title = `a${'🎉'.repeat(199)}`; // 200 characters as PostgreSQL counts them, as TextInput(200) allows
    const activityId = await futureActivity({ title });
    const personId = await member('表情签到');
    const participationId = await signUp(app, activityId, personId);
    app.clock.set(new Date('2026-07-01T09:05:00+08:00'));
    await ok(app, ATTEND, { id: participationId });
    const [entry] = await app.orm.em.fork().execute<{ note: string }[]>('select note from point_entry where person_id = ?', [dbId(personId)]);
    expect(entry.note).toBe(title);
  });

  test('until 7 days after the end (sign-in sheets are checked after the event, not months later); later is BAD_USER_INPUT, nothing written, no points', async () => {
    const activityId = await futureActivity({ title: '七一主题党日（补录）' }); // ends 2026-07-01 11:00 China time
    const [inTime, late, aYearLate] = [await member('期限内补录'), await member('逾期补录'), await member('次年补录')];
    const participations = [await signUp(app, activityId, inTime), await signUp(app, activityId, late), await signUp(app, activityId, aYearLate)];

    app.clock.set(new Date('2026-07-08T11:00:00+08:00')); // exactly 7 days after the end: still in time
    expect((await ok(app, ATTEND, { id: participations[0] })).recordAttendance).toMatchObject({ attendedAt: '2026-07-08T03:00:00.000Z', person: { pointBalance: 2 } });
    // The entry counts on the activity's start (the day yearly figures count it on, as they count the
    // attendance: attendancePointsDate) and was written at the app's clock, not the server's.
    const [entry] = await app.orm.em.fork().execute('select created_at, updated_at from point_entry where person_id = ? and kind = ?', [dbId(inTime), 'ACTIVITY_ATTENDED']);
    expect(new Date(entry.created_at).toISOString()).toBe('2026-07-01T01:00:00.000Z');
    expect(new Date(entry.updated_at).toISOString()).toBe('2026-07-08T03:00:00.000Z');

    for (const [participationId, at] of [[participations[1], '2026-07-08T11:01:00+08:00'], [participations[2], '2027-07-01T09:05:00+08:00']]) {
      app.clock.set(new Date(at));
      const refused = await expectNothingWritten(app, () => app.execute(ATTEND, { id: participationId }), [{ table: 'activity_participation', id: participationId }]);
      expectError(refused, 'BAD_USER_INPUT', 'participationId');
      expect(refused.errors![0].message).toContain('7 days');
    }
    expect(await ledgerSum(app, late)).toBe(0);
    expect(await ledgerSum(app, aYearLate)).toBe(0);
    expect((await ok(app, ACTIVITY, { id: activityId })).node).toMatchObject({ signUpCount: 3, attendanceCount: 1 });
  });

  test('a missing or wrong-type participation id', async () => {
    expectError(await app.execute(ATTEND, { id: toGlobalId('ActivityParticipation', 999999) }), 'NOT_FOUND', 'participationId');
    expectError(await app.execute(ATTEND, { id: w.partyMemberId }), 'BAD_USER_INPUT', 'participationId');
  });
});

describe('activity record cards (活动记录卡)', () => {
  /*
   * In a fresh community C (and its neighbour O), China time:
   *   A0 C 2026-03-31 23:30-00:30 (March: not counted in April)   s1 attended
   *   A1 C 2026-04-03 09:00-11:00 (2 h)    h1, h2, s1, n1 (no employer) attended
   *   A2 C 2026-04-10 14:00-17:30 (3.5 h)  h1 attended, h2 signed up only
   *   A3 O 2026-04-12 09:00-10:00 (1 h)    h2 attended
   *   A5 C 2026-04-30 23:00-24:00 (1 h)    s1 attended (still April in China, though 15:00 UTC)
   *   A4 C 2026-05-01 00:30-01:30 (1 h)    h1 attended (May in China, though April 30 in UTC)
   * h1, h2 work at the hospital; s1 at the school.
   */
  let tree: Tree;
  let a: Record<string, string>;
  beforeAll(async () => {
    tree = await buildTree(app);
    app.clock.set(new Date('2026-03-01T00:00:00+08:00'));
    const endsOf: Record<string, string> = {};
    const act = async (communityId: string, startsAt: string, endsAt: string, title: string) => {
      const id = await createActivity(app, { communityId, startsAt, endsAt, title });
      endsOf[id] = endsAt;
      return id;
    };
    a = {
      a0: await act(tree.communityId, '2026-03-31T23:30:00+08:00', '2026-04-01T00:30:00+08:00', 'A0'),
      a1: await act(tree.communityId, '2026-04-03T09:00:00+08:00', '2026-04-03T11:00:00+08:00', 'A1'),
      a2: await act(tree.communityId, '2026-04-10T14:00:00+08:00', '2026-04-10T17:30:00+08:00', 'A2'),
      a3: await act(tree.otherCommunityId, '2026-04-12T09:00:00+08:00', '2026-04-12T10:00:00+08:00', 'A3'),
      a5: await act(tree.communityId, '2026-04-30T23:00:00+08:00', '2026-05-01T00:00:00+08:00', 'A5'),
      a4: await act(tree.communityId, '2026-05-01T00:30:00+08:00', '2026-05-01T01:30:00+08:00', 'A4'),
    };
    const h1 = await member('医院甲', w.units.hospitalId, tree.communityId);
    const h2 = await member('医院乙', w.units.hospitalId, tree.communityId);
    const s1 = await member('学校丙', w.units.schoolId, tree.communityId);
    const n1 = await createPerson(app, { name: '居民丁', residenceCommunityId: tree.communityId });
    const attended: [string, string][] = [[a.a0, s1], [a.a1, h1], [a.a1, h2], [a.a1, s1], [a.a1, n1], [a.a2, h1], [a.a3, h2], [a.a5, s1], [a.a4, h1]];
    const participations: string[] = [];
    for (const [activityId, personId] of attended) participations.push(await signUp(app, activityId, personId));
    await signUp(app, a.a2, h2); // signed up, never attended
    // Each recorded as its activity ends (attendance is recorded until a week after the end).
    for (const [i, id] of participations.entries()) {
      app.clock.set(new Date(endsOf[attended[i][0]]));
      await recordAttendance(app, id);
    }
  });

  const CARDS = `query($input: ActivityRecordCardsInput!) { activityRecordCards(input: $input) {
    unit { id } month activitiesAttended membersAttended attendances totalHours memberHours activities { title }
  } }`;

  test('per unit for a community and month, against hand-computed numbers', async () => {
    const cards = (await ok(app, CARDS, { input: { communityId: tree.communityId, month: '2026-04' } })).activityRecordCards;
    expect(cards).toEqual([
      { unit: { id: w.units.hospitalId }, month: '2026-04', activitiesAttended: 2, membersAttended: 2, attendances: 3, totalHours: 5.5, memberHours: 7.5, activities: [{ title: 'A1' }, { title: 'A2' }] },
      { unit: { id: w.units.schoolId }, month: '2026-04', activitiesAttended: 2, membersAttended: 1, attendances: 2, totalHours: 3, memberHours: 3, activities: [{ title: 'A1' }, { title: 'A5' }] },
    ]);
  });

  test('one unit across communities; a unit within a community; the month boundary in China time', async () => {
    const hospital = (await ok(app, CARDS, { input: { unitId: w.units.hospitalId, month: '2026-04' } })).activityRecordCards;
    expect(hospital).toEqual([
      expect.objectContaining({ activitiesAttended: 3, membersAttended: 2, attendances: 4, totalHours: 6.5, memberHours: 8.5, activities: [{ title: 'A1' }, { title: 'A2' }, { title: 'A3' }] }),
    ]);
    const school = (await ok(app, CARDS, { input: { communityId: tree.communityId, unitId: w.units.schoolId, month: '2026-03' } })).activityRecordCards;
    expect(school).toEqual([expect.objectContaining({ unit: { id: w.units.schoolId }, activitiesAttended: 1, totalHours: 1, activities: [{ title: 'A0' }] })]);
    const may = (await ok(app, CARDS, { input: { communityId: tree.communityId, month: '2026-05' } })).activityRecordCards;
    expect(may).toEqual([expect.objectContaining({ unit: { id: w.units.hospitalId }, activitiesAttended: 1, totalHours: 1, activities: [{ title: 'A4' }] })]);
    expect((await ok(app, CARDS, { input: { communityId: tree.communityId, month: '2026-02' } })).activityRecordCards).toEqual([]);
  });

  test('one aggregate, not a loop: the same handful of statements however many cards', async () => {
    const statements = await app.countStatements(() => ok(app, CARDS, { input: { communityId: tree.communityId, month: '2026-04' } }));
    // community lookup, the aggregate, units by id, activities by id
    expect(statements.length).toBeLessThanOrEqual(4);
    expect(statements.filter((sql) => sql.includes('activity_participation')).length).toBe(1);
  });

  test.each([
    ['month 2026-13', { month: '2026-13' }, 'BAD_USER_INPUT', 'input.month'],
    ['month 2026-4', { month: '2026-4' }, 'BAD_USER_INPUT', 'input.month'],
    ['neither community nor unit', { communityId: null }, 'BAD_USER_INPUT', 'input.communityId'],
    ['a Unit as communityId', () => ({ communityId: w.units.schoolId }), 'BAD_USER_INPUT', 'input.communityId'],
    ['a missing unit', () => ({ unitId: toGlobalId('Unit', 999999) }), 'NOT_FOUND', 'input.unitId'],
  ])('%s is refused', async (_label, overrides, code, field) => {
    const extra = typeof overrides === 'function' ? overrides() : overrides;
    expectError(await app.execute(CARDS, { input: { communityId: tree.communityId, month: '2026-04', ...extra } }), code, field);
  });
});

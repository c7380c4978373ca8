import { Activity, ActivityKind, ActivityParticipation } from '../../src/modules/activity/activity.entity';
import { Claim, ClaimStatus, ListItem, ListItemKind, ListItemStatus, ProblemList } from '../../src/modules/list/list.entity';
import { Person, PartyStatus } from '../../src/modules/person/person.entity';
import { Request, RequestChannel, RequestLevel, RequestStatus } from '../../src/modules/request/request.entity';
import { Whistle, WhistleRecipient, WhistleResponseStatus } from '../../src/modules/whistle/whistle.entity';
import { buildTree, createUnit, dbId, expectError, expectNothingWritten, ok, type Tree } from '../helpers/fixtures';
import { createPairing } from '../helpers/closed-loop-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Review: 反向考核's attendance counted every activity of the community's year against every paired
 * unit, those held before its pairing began or after it ended too, so a unit paired from September
 * answered for the spring, and one whose term ended in August for the autumn. Only the activities
 * held during the unit's term count (a pairing in force on the activity's day, China time), in the
 * denominator and in what it attended.
 *
 * Review (unit claims, whistles and satisfaction by the whole year): the other three parts still
 * counted the whole year, so a unit paired from October answered for June's claims, whistles and
 * ratings, made while it was no paired unit of the community (a claim through an alliance seat,
 * a whistle or a request that calls any department). Each counts on the days of the unit's terms
 * too, China time, by the instant that places it in the year: the claim made, the whistle blown,
 * the request created. A whistle blown on the term's last day counts, answered after it ended.
 */

let app: TestApp;
let tree: Tree;
let units: Record<'whole' | 'late' | 'ended' | 'twice', string>;
let endedPairing: string;

const at = (local: string) => new Date(`${local}+08:00`);
const PART = 'numerator denominator';
const QUERY = `query($input: UnitAssessmentsInput!) { unitAssessments(input: $input) {
  unit { id } attendance { ${PART} } claims { ${PART} } whistles { ${PART} } satisfaction { ${PART} } } }`;

/** Each unit's `part` of the 2026 assessment, by its key in `units`. */
async function partOf(part: 'attendance' | 'claims' | 'whistles' | 'satisfaction') {
  const rows = (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2026 } })).unitAssessments;
  return Object.fromEntries(rows.map((row: any) => [Object.keys(units).find((key) => units[key as keyof typeof units] === row.unit.id), row[part]]));
}

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(at('2027-01-10T10:00:00'));
  tree = await buildTree(app);
  const unit = (name: string) => createUnit(app, { name, kind: 'AGENCY', areaId: tree.streetId });
  units = { whole: await unit('区卫健局'), late: await unit('区文旅局'), ended: await unit('区水务局'), twice: await unit('区司法局') };
  await createPairing(app, units.whole, tree.communityId, '2024-01-01');
  await createPairing(app, units.late, tree.communityId, '2026-09-01');
  endedPairing = await createPairing(app, units.ended, tree.communityId, '2025-01-01', '2026-08-31');
  await createPairing(app, units.twice, tree.communityId, '2026-01-01', '2026-03-31');
  await createPairing(app, units.twice, tree.communityId, '2026-10-01');
  await app.orm.em.fork().transactional(async (em) => {
    const C = dbId(tree.communityId);
    const activity = (title: string, startsAt: Date) =>
      em.create(Activity, { community: C, title, kind: ActivityKind.THEME_PARTY_DAY, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) });
    const a1 = activity('三月主题党日', at('2026-03-01T09:00:00'));
    const a2 = activity('八月末夜校', at('2026-08-31T23:30:00'));
    // 00:30 on 1 September in China is still 31 August in UTC: the day is China's.
    const a3 = activity('九月开学夜巡', at('2026-09-01T00:30:00'));
    const a4 = activity('十一月主题党日', at('2026-11-01T09:00:00'));
    const attended = (a: Activity, unitId: string, name: string) => {
      const person = em.create(Person, { name, partyStatus: PartyStatus.IN_SERVICE, employerUnit: dbId(unitId), residenceCommunity: C });
      em.create(ActivityParticipation, { activity: a, person, unit: dbId(unitId), attendedAt: new Date(a.startsAt.getTime() + 600_000) });
    };
    attended(a1, units.whole, '卫健甲');
    attended(a2, units.late, '文旅甲'); // before its term: a guest, not its activity
    attended(a3, units.late, '文旅乙');
    attended(a4, units.ended, '水务甲'); // after its term

    // 31 August 23:30 and 1 September 00:30 (China): the days either side of late's start and ended's end.
    const lastOfAugust = at('2026-08-31T23:30:00');
    const firstOfSeptember = at('2026-09-01T00:30:00');
    const [march, june, november] = [at('2026-03-01T09:00:00'), at('2026-06-01T09:00:00'), at('2026-11-01T09:00:00')];

    const list = em.create(ProblemList, { community: C, period: '2026', startsOn: '2026-01-01', endsOn: '2026-12-31', title: '2026年四项清单' });
    const item = em.create(ListItem, { list, kind: ListItemKind.SERVICE, title: '助老服务', status: ListItemStatus.CLAIMED });
    const claim = (unitId: string, status: ClaimStatus, createdAt: Date) => em.create(Claim, { item, unit: dbId(unitId), status, createdAt });
    claim(units.whole, ClaimStatus.DELIVERED, march);
    claim(units.late, ClaimStatus.DELIVERED, lastOfAugust); // the day before its term
    claim(units.late, ClaimStatus.CLAIMED, firstOfSeptember);
    claim(units.ended, ClaimStatus.CONFIRMED, march);
    claim(units.ended, ClaimStatus.DELIVERED, november); // after its term (an alliance seat serves the community too)
    claim(units.twice, ClaimStatus.DELIVERED, june); // between its terms
    claim(units.twice, ClaimStatus.CLAIMED, november);

    // Feedback due 72 h after the whistle; answered in 24 h (on time) or 100 h (late).
    const whistle = (blownAt: Date) => em.create(Whistle, { blownBy: C, letter: '关于问题整改的函', blownAt });
    const called = (w: Whistle, unitId: string, onTime: boolean) =>
      em.create(WhistleRecipient, {
        whistle: w,
        unit: dbId(unitId),
        status: WhistleResponseStatus.ANSWERED,
        reportDueAt: new Date(w.blownAt.getTime() + 24 * 3600_000),
        feedbackDueAt: new Date(w.blownAt.getTime() + 72 * 3600_000),
        answeredAt: new Date(w.blownAt.getTime() + (onTime ? 24 : 100) * 3600_000),
      });
    const wMarch = whistle(march);
    called(wMarch, units.whole, true);
    called(wMarch, units.ended, true);
    called(wMarch, units.twice, false);
    const wJune = whistle(june);
    called(wJune, units.late, true); // before its term
    called(wJune, units.ended, false);
    called(wJune, units.twice, true); // between its terms
    const wAugust = whistle(lastOfAugust);
    called(wAugust, units.late, false); // the day before its term
    called(wAugust, units.ended, true); // its term's last day: answered on 1 September, after the term, still its own
    const wSeptember = whistle(firstOfSeptember);
    called(wSeptember, units.late, true);
    called(wSeptember, units.ended, false); // the day after its term
    const wNovember = whistle(november);
    called(wNovember, units.whole, false);
    called(wNovember, units.ended, true); // after its term
    called(wNovember, units.twice, true);

    const [category] = await em.execute<{ id: number }[]>(`select id from request_category where code = 'GRID-SANITATION'`);
    let n = 0;
    const rated = (unitId: string, satisfaction: number, createdAt: Date) =>
      em.create(Request, {
        number: `QC-TERM-${(n += 1)}`,
        title: '楼道堆物',
        body: '楼道堆放杂物，影响通行',
        channel: RequestChannel.GRID_PATROL,
        category: category.id,
        area: C,
        status: RequestStatus.CLOSED,
        level: RequestLevel.COMMUNITY,
        assigneeUnit: dbId(unitId),
        dueAt: new Date(createdAt.getTime() + 72 * 3600_000),
        resolvedAt: createdAt,
        satisfaction,
        createdAt,
      });
    rated(units.whole, 4, march);
    rated(units.late, 1, lastOfAugust); // the day before its term
    rated(units.late, 5, firstOfSeptember);
    rated(units.ended, 3, march);
    rated(units.ended, 1, november); // after its term
    rated(units.twice, 1, june); // between its terms
    rated(units.twice, 4, november);
  });
});
afterAll(async () => {
  await app?.close();
});

test("attendance counts only the activities held during the unit's pairing term (China time), before it began or after it ended neither in the denominator nor attended", async () => {
  expect(await partOf('attendance')).toEqual({
    whole: { numerator: 1, denominator: 4 }, // all four
    late: { numerator: 1, denominator: 2 }, // from 1 September: the night patrol (China's 1 September) and November
    ended: { numerator: 0, denominator: 2 }, // to 31 August: March and the evening class of 31 August
    twice: { numerator: 0, denominator: 2 }, // January to March, and from October: March and November
  });
});

test("claims count those made during the unit's pairing term (China time): one made before it began, between its terms or after it ended is not the pairing's", async () => {
  expect(await partOf('claims')).toEqual({
    whole: { numerator: 1, denominator: 1 },
    late: { numerator: 0, denominator: 1 }, // 1 September's (China), not 31 August's delivered one
    ended: { numerator: 1, denominator: 1 }, // March's, not November's
    twice: { numerator: 0, denominator: 1 }, // November's, not June's
  });
});

test("whistles count those blown during the unit's pairing term (China time), answered when they may: a department called while unpaired answered as any department, not as the pairing", async () => {
  expect(await partOf('whistles')).toEqual({
    whole: { numerator: 1, denominator: 2 }, // March on time, November late
    late: { numerator: 1, denominator: 1 }, // 1 September (China) on time; not June's, nor 31 August's
    ended: { numerator: 2, denominator: 3 }, // March, June late, 31 August answered after the term; not September's or November's
    twice: { numerator: 1, denominator: 2 }, // March late, November on time; not June's
  });
});

test("satisfaction counts the unit's requests created during its pairing term (China time)", async () => {
  expect(await partOf('satisfaction')).toEqual({
    whole: { numerator: 4, denominator: 5 },
    late: { numerator: 5, denominator: 5 }, // 1 September's (China), not 31 August's
    ended: { numerator: 3, denominator: 5 }, // March's, not November's
    twice: { numerator: 4, denominator: 5 }, // November's, not June's
  });
});

test("a past year's assessment stays as it was: the end of a term that has ended is neither cleared nor moved later (review: re-opening it counted the autumn's activities against the unit in 2026), BAD_USER_INPUT on input.endsOn", async () => {
  const attendanceOfEnded = async () =>
    (await ok(app, QUERY, { input: { communityId: tree.communityId, year: 2026 } })).unitAssessments.find((row: any) => row.unit.id === units.ended).attendance;
  const before = await attendanceOfEnded();
  expect(before).toEqual({ numerator: 0, denominator: 2 });
  const UPDATE = `mutation($id: ID!, $input: UpdatePairingInput!) { updatePairing(id: $id, input: $input) { id endsOn } }`;
  for (const endsOn of [null, '2027-01-10', '2027-12-31']) {
    const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id: endedPairing, input: { endsOn } }), [{ table: 'pairing', id: endedPairing }]);
    expectError(refused, 'BAD_USER_INPUT', 'input.endsOn');
  }
  expect(await attendanceOfEnded()).toEqual(before);
});

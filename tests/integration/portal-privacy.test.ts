import type { Viewer } from '../../src/context/context';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, portalViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* Personal data a portal (API key) must not obtain through aggregate views (found by a review). */

let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
});
afterAll(async () => {
  await app?.close();
});

const CREATE = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { label evidenceIds residentsSay(first: 12) { term count } } } }`;

test('residentsSay shows a portal only the domain vocabulary: a name jieba takes for a word (付强/v) never comes out', async () => {
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  // Five requests: a cell of fewer is withheld from a portal whole (a count of 1-4, disclosure.ts).
  for (const body of ['付强家门口堆放杂物，楼道过不去，路灯也不亮', '楼上付强家装修噪音太大，路灯不亮', '付强家的空调外机滴水，楼下路灯坏了', '付强家楼下的路灯一直不亮', '路灯坏了，付强家门口很黑']) {
    await ok(app, CREATE, { input: { title: '邻里问题', body, channel: 'COUNTER', categoryId: repair, areaId: w.otherGridId } });
  }
  const input = { areaId: w.otherGridId, lastDays: 30, groupBy: ['GRID'], sources: 'REQUESTS', minSupport: 1 };
  const terms = async (viewer?: ReturnType<typeof portalViewer>) => {
    const result = await app.execute(RANKING, { input }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.rows.flatMap((row: any) => row.residentsSay.map((keyword: any) => keyword.term));
  };
  // Staff who may see the requests themselves see every keyword the three texts share.
  expect(await terms()).toEqual(expect.arrayContaining(['付强', '路灯']));
  // A portal: 路灯 (a domain term), not 付强 (a name), nor 邻里 (an ordinary word, not vetted).
  expect(await terms(portalViewer())).toEqual(['路灯']);
});

test('a portal gets no dashboard figures of a building (one household\'s request, day and rating); a grid\'s it does', async () => {
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  await ok(app, CREATE, { input: { title: '家里漏水', body: '家里漏水', channel: 'COUNTER', categoryId: repair, areaId: w.buildingId } });
  const DASHBOARD = `query($area: ID!) { dashboard(input: { areaId: $area, lastDays: 1 }) { requestsReceived averageSatisfaction } }`;
  expectError(await app.execute(DASHBOARD, { area: w.buildingId }, portalViewer()), 'BAD_USER_INPUT', 'input.areaId');
  // Staff of the area keep them.
  expect((await app.execute(DASHBOARD, { area: w.buildingId })).errors).toBeUndefined();
  const grid = await app.execute(DASHBOARD, { area: w.gridId }, portalViewer());
  expect(grid.errors).toBeUndefined();
  // Its 1-4 requests are a small count (disclosure.ts): answered, the count suppressed.
  expect(grid.data.dashboard.requestsReceived).toBeNull();
});

test('an evidence id whose source key holds a phone or an ID number is masked for a portal, an ordinary key is not', async () => {
  const em = app.orm.em.fork();
  // Two items of different categories: a ranking row shows at most five evidence ids.
  const [item, otherItem] = await em.execute(`select min(code) as code from service_item where not is_consultation group by category_id order by 1 limit 2`);
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.communityId)]);
  const record = (sourceId: string, day: number, itemCode = item.code) => ({
    sourceId, itemCode, communityCode: community.code, status: 'FINISHED',
    receivedAt: `2023-03-${String(day).padStart(2, '0')}T02:00:00Z`, finishedAt: `2023-03-${String(day).padStart(2, '0')}T03:00:00Z`,
  });
  const imported = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "hall", records: $records) { inserted } }`, {
    records: [
      record('13912345678-01', 25), record('370102199001011237-1', 28), record('GJ20230301-0000000001', 27),
      // Grouped, as a source system may compose its keys (from a privacy review: these went as written).
      record('139-1234-5678-01', 20, otherItem.code), record('370102-19900101-1237-1', 21, otherItem.code), record('0531-88776655-01', 22, otherItem.code),
      record('A-139-1234-5678', 23, otherItem.code),
    ],
  });
  expect(imported.importServiceRecords.inserted).toBe(7);
  // Earlier in the month, of another source: each cell has 5 demands, as a portal is shown evidence of no fewer (disclosure.ts).
  const filled = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "fill", records: $records) { inserted } }`, {
    records: [record('FILL-1', 1), record('FILL-2', 2), record('FILL-3', 3, otherItem.code)],
  });
  expect(filled.importServiceRecords.inserted).toBe(3);
  const input = { areaId: w.districtId, from: '2023-03-01', to: '2023-03-31', groupBy: ['CATEGORY'], sources: 'SERVICE_RECORDS', minSupport: 1 };
  const evidence = async (viewer?: ReturnType<typeof portalViewer>) => {
    const result = await app.execute(RANKING, { input }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data.demandRanking.rows.flatMap((row: any) => row.evidenceIds).filter((id: string) => !id.startsWith('ServiceRecord:fill:')).sort();
  };
  expect(await evidence(portalViewer())).toEqual([
    'ServiceRecord:hall:0531-****6655-01', 'ServiceRecord:hall:139****5678-01', 'ServiceRecord:hall:139****5678-01', 'ServiceRecord:hall:370***********1237-1',
    'ServiceRecord:hall:370***********1237-1', 'ServiceRecord:hall:A-139****5678', 'ServiceRecord:hall:GJ20230301-0000000001',
  ]);
  expect(await evidence()).toEqual([
    'ServiceRecord:hall:0531-88776655-01', 'ServiceRecord:hall:139-1234-5678-01', 'ServiceRecord:hall:13912345678-01', 'ServiceRecord:hall:370102-19900101-1237-1',
    'ServiceRecord:hall:370102199001011237-1', 'ServiceRecord:hall:A-139-1234-5678', 'ServiceRecord:hall:GJ20230301-0000000001',
  ]);
});

/*
 * From a privacy review: phone and ID numbers written in other digit forms (Chinese numerals as a
 * hotline transcript has them, Arabic-Indic, mathematical and circled digits, these mixed with
 * ASCII ones) went as written to viewers who may not see personal data: to a portal in directory
 * free text (a portal reads no request), to an analyst in a request body; and they found the
 * records by them.
 */
describe('phone and ID numbers in other digit forms', () => {
  const TEXT = '来电人称电话一三八一二三四五六七八一直打不通，备用١٣٩٠٠٠٠١١١١，𝟏𝟑𝟕𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖，①③⑥①②③④⑤⑥⑦⑧，135一二三四5678，身份证三七〇一〇二一九九〇〇一〇一一二三七，第一三八中学旁';
  const MASKED = '来电人称电话一三八****五六七八一直打不通，备用١٣٩****١١١١，𝟏𝟑𝟕****𝟓𝟔𝟕𝟖，①③⑥****⑤⑥⑦⑧，135****5678，身份证三七〇***********一二三七，第一三八中学旁';
  const SECRETS = ['13812345678', '13900001111', '13712345678', '13612345678', '13512345678', '370102199001011237', '19900101'];
  /** What a viewer must not find the record by: the numbers, their middle digits, the birth date. */
  const PROBES = ['一三八一二三四五六七八', '一二三四', '١٣٩٠٠٠٠١١١١', '𝟏𝟐𝟑𝟒', '①②③④', '一九九〇〇一〇一'];
  const analyst = () => accountViewer(Role.ANALYST, null);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const alliance = await ok(app, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, {
      input: { areaId: w.streetId, model: 'BIG_PARTY_COMMITTEE', name: '热线共建联盟', description: TEXT },
    });
    ids.alliance = alliance.createAlliance.id;
    await ok(app, `mutation($id: ID!, $address: String!) { updateUnit(id: $id, input: { address: $address }) { id } }`, { id: w.units.schoolId, address: TEXT });
    const repair = await categoryId(app, 'HOUSING-REPAIR');
    const request = await ok(app, CREATE, { input: { title: '楼道灯不亮', body: TEXT, channel: 'HOTLINE_12345', categoryId: repair, areaId: w.gridId } });
    ids.request = request.createRequest.id;
  });

  async function read(id: string, selection: string, pick: (node: any) => string, viewer?: Viewer): Promise<string> {
    const result = await app.execute(`query($id: ID!) { node(id: $id) { ${selection} } }`, { id }, viewer);
    expect(result.errors).toBeUndefined();
    return pick(result.data.node);
  }
  async function found(field: 'units' | 'requests', search: string, viewer?: Viewer): Promise<number> {
    const result = await app.execute(`query($search: String!) { ${field}(filter: { search: $search }) { totalCount } }`, { search }, viewer);
    expect(result.errors).toBeUndefined();
    return result.data[field].totalCount;
  }
  const expectNoSecret = (text: string) => {
    // Read as digits, whatever form they were written in: no phone, no ID number, no birth date.
    const digits = asciiDigits(text);
    for (const secret of SECRETS) expect({ secret, shown: digits.includes(secret) }).toEqual({ secret, shown: false });
  };

  test('a portal reads an alliance\'s description and a unit\'s address with them masked, staff as written', async () => {
    for (const [id, selection, pick] of [
      [ids.alliance, '... on Alliance { description }', (n: any) => n.description],
      [w.units.schoolId, '... on Unit { address }', (n: any) => n.address],
    ] as const) {
      const shown = await read(id, selection, pick, portalViewer());
      expect(shown).toBe(MASKED);
      expectNoSecret(shown);
      expect(await read(id, selection, pick)).toBe(TEXT);
    }
  });

  test('a portal cannot find a unit by them, only by what it is shown', async () => {
    for (const probe of PROBES) expect({ probe, found: await found('units', probe, portalViewer()) }).toEqual({ probe, found: 0 });
    expect(await found('units', '一三八****五六七八', portalViewer())).toBe(1);
  });

  test('an analyst reads the request body with them masked and cannot find it by them; staff can', async () => {
    const body = await read(ids.request, '... on Request { body }', (n) => n.body, analyst());
    expect(body).toBe(MASKED);
    expectNoSecret(body);
    for (const probe of PROBES) expect({ probe, found: await found('requests', probe, analyst()) }).toEqual({ probe, found: 0 });
    expect(await found('requests', '一三八****五六七八', analyst())).toBe(1);
    expect(await read(ids.request, '... on Request { body }', (n) => n.body)).toBe(TEXT);
    expect(await found('requests', '一三八一二三四五六七八')).toBe(1);
  });
});

/** Chinese numerals as digits, for reading a text's numbers whatever form they were written in. */
const CHINESE_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
/** The text with every digit form as an ASCII digit: NFKC for full-width, mathematical and circled ones, then Arabic-Indic and Chinese. */
function asciiDigits(text: string): string {
  return [...text.normalize('NFKC')]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (code >= 0x660 && code <= 0x669) return String(code - 0x660);
      if (code >= 0x6f0 && code <= 0x6f9) return String(code - 0x6f0);
      return CHINESE_DIGITS[char] ?? char;
    })
    .join('');
}

test('a phone or ID number given where an ID belongs is not echoed in the error (found by a privacy review)', async () => {
  const documents: [string, Record<string, unknown>, string][] = [
    [`query($id: ID!) { communities(filter: { within: $id }) { totalCount } }`, { id: '13812345678' }, 'filter.within'],
    [RANKING, { input: { areaId: '370102199001011237', lastDays: 30, groupBy: ['CATEGORY'] } }, 'input.areaId'],
  ];
  for (const [document, variables, field] of documents) {
    const result = await app.execute(document, variables, portalViewer());
    expectError(result, 'BAD_USER_INPUT', field);
    expect(result.errors![0].message).toBe(`${field}: is not a valid ID (use an id the API returned)`);
  }
});

test('a literal written in the document is not quoted back either (found by a review)', async () => {
  for (const document of [
    `{ communities(first: "13812345678") { totalCount } }`,
    `{ communities(first: 13812345678) { totalCount } }`,
    `{ demandRanking(input: { areaId: "x", from: "370102199001011237", to: "2024-01-01", groupBy: [CATEGORY] }) { rows { label } } }`,
    `{ communities(filter: { within: ["13812345678"] }) { totalCount } }`,
  ]) {
    const result = await app.execute(document, undefined, portalViewer());
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors![0].message).toContain('…');
    expect(result.errors![0].message).not.toMatch(/13812345678|370102199001011237/);
  }
  // A literal that is also a word of the message leaves the message readable (found by a review).
  const word = await app.execute(`{ communities(first: "value") { totalCount } }`, undefined, portalViewer());
  expect(word.errors![0].message).toBe('Int cannot represent non-integer value: …');
  // A scalar's own reason loses the value too.
  const day = await app.execute(`{ demandRanking(input: { areaId: "x", from: "13812345678", to: "2024-01-01", groupBy: [CATEGORY] }) { rows { label } } }`, undefined, portalViewer());
  expect(day.errors![0].message).not.toMatch(/13812345678/);
  // What names the document's own parts stays: a wrong enum value, an unknown field.
  const unknownEnum = await app.execute(`{ demandRanking(input: { areaId: "x", lastDays: 7, groupBy: [COLOUR] }) { rows { label } } }`, undefined, portalViewer());
  expect(unknownEnum.errors![0].message).toMatch(/COLOUR/);
});

describe('dashboard for viewers who may not see personal data: whole China days, and no mean of a few ratings', () => {
  // 2031-05-06 10:00 China time: a day no other test writes requests on.
  const T0 = new Date('2031-05-06T02:00:00Z');
  const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
  const DASHBOARD = `query($area: ID!, $from: DateTimeISO, $to: DateTimeISO, $lastDays: Int) {
    dashboard(input: { areaId: $area, from: $from, to: $to, lastDays: $lastDays }) { from to requestsReceived averageSatisfaction satisfactionRate requestsByCategory { count } } }`;
  const DAY = { from: '2031-05-06T00:00:00+08:00', to: '2031-05-07T00:00:00+08:00' };

  async function rated(minutes: number, satisfaction: number): Promise<void> {
    const repair = await categoryId(app, 'HOUSING-REPAIR');
    app.clock.set(at(minutes));
    const id = (await ok(app, CREATE, { input: { title: '家里漏水', body: '家里漏水', channel: 'COUNTER', categoryId: repair, areaId: w.gridId, residentName: '王建国', residentPhone: '13812345678' } })).createRequest.id;
    for (const [name, type, input] of [['dispatchRequest', 'DispatchRequestInput!', { assigneePersonId: w.partyMemberId }], ['takeRequest', 'TakeRequestInput', {}], ['resolveRequest', 'PlainStepInput', {}], ['rateRequest', 'RateRequestInput!', { satisfaction }]] as const) {
      await ok(app, `mutation($id: ID!, $input: ${type}) { ${name}(id: $id, input: $input) { id } }`, { id, input });
    }
  }
  afterAll(() => app.clock.reset());

  test('a window of seconds around one request is refused (it showed that request\'s category and its resident\'s rating); a day is answered, its mean hidden under 5 ratings', async () => {
    await rated(0, 1);
    app.clock.set(at(120));
    const seconds = { area: w.gridId, from: new Date(T0.getTime() - 1000).toISOString(), to: new Date(T0.getTime() + 1000).toISOString() };
    expectError(await app.execute(DASHBOARD, seconds, portalViewer()), 'BAD_USER_INPUT', 'input.from');
    expectError(await app.execute(DASHBOARD, { ...seconds, from: DAY.from }, portalViewer()), 'BAD_USER_INPUT', 'input.to');
    // Analysts are held to the same; staff who may see the requests themselves are not.
    expectError(await app.execute(DASHBOARD, seconds, accountViewer(Role.ANALYST, null)), 'BAD_USER_INPUT', 'input.from');
    expect((await ok(app, DASHBOARD, seconds)).dashboard).toMatchObject({ requestsReceived: 1, averageSatisfaction: 1, satisfactionRate: 0 });

    const day = await app.execute(DASHBOARD, { area: w.gridId, ...DAY }, portalViewer());
    expect(day.errors).toBeUndefined();
    // One request is a small count for a portal (disclosure.ts): null.
    expect(day.data.dashboard).toMatchObject({ requestsReceived: null, averageSatisfaction: null, satisfactionRate: null });
    expect((await ok(app, DASHBOARD, { area: w.gridId, ...DAY })).dashboard).toMatchObject({ averageSatisfaction: 1, satisfactionRate: 0 });

    // Five ratings: a mean of several residents, shown.
    for (const [i, score] of [5, 5, 4, 5].entries()) await rated(10 + i * 10, score);
    app.clock.set(at(180));
    const five = await app.execute(DASHBOARD, { area: w.gridId, ...DAY }, portalViewer());
    // 0.8 of the 5 ratings (all 5 received) would be the 1 resident not satisfied (rateShown): null for a portal.
    expect(five.data.dashboard).toMatchObject({ requestsReceived: 5, averageSatisfaction: 4, satisfactionRate: null });
    expect((await app.execute(DASHBOARD, { area: w.gridId, ...DAY }, accountViewer(Role.ANALYST, null))).data!.dashboard).toMatchObject({ averageSatisfaction: 4, satisfactionRate: 0.8 });
  });

  test('lastDays for a portal starts at the China midnight before (from says so); staff keep now − N days', async () => {
    app.clock.set(at(120)); // 2031-05-06 12:00 China time
    const portal = await app.execute(DASHBOARD, { area: w.gridId, lastDays: 1 }, portalViewer());
    expect(portal.errors).toBeUndefined();
    expect(portal.data.dashboard).toMatchObject({ from: '2031-05-04T16:00:00.000Z', to: at(120).toISOString() });
    expect((await ok(app, DASHBOARD, { area: w.gridId, lastDays: 1 })).dashboard.from).toBe('2031-05-05T04:00:00.000Z');
  });
});

import { toGlobalId } from '../../src/common/global-id';
import { MIN_CELL_RECORDS } from '../../src/common/disclosure';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath, portalViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, dbId, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Small cells (src/common/disclosure.ts), found by a review of what a portal learns of ONE resident
 * beyond the dashboard: in March 2030 the grid 幸福里第一网格 has exactly one request, filed on
 * 2030-03-04 10:00 China time by a DISABLED resident, resolved 5 hours later and rated 1; the
 * community has one one-window record on 2026-03-05 (LOW_INCOME, finished in 3 hours, rated 1).
 * Portals (and analysts) read counts, not how one case went; staff read everything.
 */

let app: TestApp;
let w: World;
let requestId: string;
let itemCode: string;

const HOUR = 3600_000;
const T0 = new Date('2030-03-04T02:00:00Z'); // 10:00 China time
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

async function step(name: string, id: string, input: Record<string, unknown>, hours: number, type: string) {
  app.clock.set(at(hours));
  await ok(app, `mutation($id: ID!, $input: ${type}) { ${name}(id: $id, input: $input) { id } }`, { id, input });
}

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  const repair = await categoryId(app, 'HOUSING-REPAIR');
  app.clock.set(at(0));
  const created = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: {
      title: '家里水管爆了', body: '轮椅进出不便，家中水管爆裂，请尽快维修', channel: 'HOTLINE_12345', categoryId: repair, areaId: w.buildingId,
      residentGroup: 'DISABLED', residentName: '王秀英', residentPhone: '13700001111',
    },
  });
  requestId = created.createRequest.id;
  await step('dispatchRequest', requestId, { assigneePersonId: w.partyMemberId }, 1, 'DispatchRequestInput!');
  await step('takeRequest', requestId, {}, 2, 'TakeRequestInput');
  await step('resolveRequest', requestId, {}, 5, 'PlainStepInput');
  await step('rateRequest', requestId, { satisfaction: 1 }, 6, 'RateRequestInput!');

  // Records received after the server's clock would be refused: import them as of 2030-03-20.
  app.clock.set(new Date('2030-03-20T02:00:00Z'));
  const em = app.orm.em.fork();
  const [item] = await em.execute(`select min(code) as code from service_item where not is_consultation`);
  itemCode = item.code;
  const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.communityId)]);
  const imported = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "hall", records: $records) { inserted rejections(first: 5) { edges { node { column reason } } } } }`, {
    records: [{
      sourceId: 'GJ20260305-0000000001', itemCode, communityCode: community.code, status: 'FINISHED', residentGroups: ['LOW_INCOME'], satisfaction: 1,
      receivedAt: '2026-03-05T01:00:00Z', finishedAt: '2026-03-05T04:00:00Z',
    }],
  });
  expect(imported.importServiceRecords.rejections.edges).toEqual([]);
  expect(imported.importServiceRecords.inserted).toBe(1);
});
afterAll(async () => {
  await app?.close();
});

const DETAILS = 'volume satisfactionGap meanCloseHours timelinessP50Hours vulnerableShare resolutionGap onTimeShare';
const RANKING = `query($input: DemandRankingInput!) { demandRanking(input: $input) {
  rows { label evidenceIds metrics { ${DETAILS} } notes { metric reason } }
  belowSupport { label evidenceIds metrics { ${DETAILS} } notes { metric reason } }
} }`;
const oneDay = { from: '2030-03-04', to: '2030-03-04', sources: 'REQUESTS' };

async function cells(input: Record<string, unknown>, viewer?: ReturnType<typeof portalViewer>) {
  const result = await app.execute(RANKING, { input }, viewer);
  expect(result.errors).toBeUndefined();
  return [...result.data.demandRanking.rows, ...result.data.demandRanking.belowSupport];
}

async function withheld(input: Record<string, unknown>, viewer?: ReturnType<typeof portalViewer>) {
  const result = await app.execute(`query($input: DemandRankingInput!) { demandRanking(input: $input) { snapshot { rowsWithheld recordsCounted } } }`, { input }, viewer);
  expect(result.errors).toBeUndefined();
  return result.data.demandRanking.snapshot;
}

test('demandRanking: a cell of one request shows an analyst its count, not that resident\'s rating, close time or group, nor the request\'s id; a portal not the cell at all; staff see all', async () => {
  for (const minSupport of [30, 0]) {
    const input = { ...oneDay, areaId: w.gridId, groupBy: ['CATEGORY'], minSupport };
    const [cell] = await cells(input, accountViewer(Role.ANALYST, null));
    expect(cell.metrics).toEqual({ volume: 1, satisfactionGap: null, meanCloseHours: null, timelinessP50Hours: null, vulnerableShare: null, resolutionGap: null, onTimeShare: null });
    expect(cell.evidenceIds).toEqual([]);
    expect(cell.notes).toContainEqual({ metric: 'satisfactionGap', reason: `fewer than ${MIN_CELL_RECORDS} demands (or ratings, or timed cases): not shown to viewers who may not see personal data` });
    // A count of 1-4 is not a portal's (disclosure.ts): the row is left out, and counted as withheld.
    expect(await cells(input, portalViewer())).toEqual([]);
    expect(await withheld(input, portalViewer())).toEqual({ rowsWithheld: 1, recordsCounted: 0 });
    expect(await withheld(input, accountViewer(Role.ANALYST, null))).toEqual({ rowsWithheld: 0, recordsCounted: 1 });
  }
  const [staff] = await cells({ ...oneDay, areaId: w.gridId, groupBy: ['CATEGORY'] });
  expect(staff.metrics).toMatchObject({ volume: 1, satisfactionGap: 1, meanCloseHours: 5, vulnerableShare: 1 });
  expect(staff.evidenceIds).toEqual([requestId]);
});

describe('serviceStats and streetRanking: no mean of fewer than 5 ratings for a portal', () => {
  const STATS = `query($input: ServiceStatsInput!) { serviceStats(input: $input) { rows { key serviceCount averageCloseHours satisfactionAverage satisfactionCount } } }`;

  test('one record\'s rating and close time are not a community-day\'s figures for a portal; staff read them', async () => {
    const input = { areaId: w.communityId, from: '2026-03-05', to: '2026-03-05', groupBy: 'ITEM' };
    const portal = (await app.execute(STATS, { input }, portalViewer())).data.serviceStats.rows.find((r: any) => r.key === itemCode);
    // Nor its counts of 1 (a count of 1-4, disclosure.ts).
    expect(portal).toEqual({ key: itemCode, serviceCount: null, satisfactionCount: null, satisfactionAverage: null, averageCloseHours: null });
    const staff = (await ok(app, STATS, { input })).serviceStats.rows.find((r: any) => r.key === itemCode);
    expect(staff).toEqual({ key: itemCode, serviceCount: 1, satisfactionCount: 1, satisfactionAverage: 1, averageCloseHours: 3 });
  });

  test('a street\'s satisfaction rate of one rating is not shown to a portal, nor is it in the score (it could be worked back)', async () => {
    const QUERY = `query($input: StreetRankingInput!) { streetRanking(input: $input) { street { id } requestsReceived responseRate resolutionRate satisfactionRate score } }`;
    const input = { districtId: w.districtId, month: '2030-03' };
    const portal = (await app.execute(QUERY, { input }, portalViewer())).data.streetRanking.find((row: any) => row.street.id === w.streetId);
    const staff = (await ok(app, QUERY, { input })).streetRanking.find((row: any) => row.street.id === w.streetId);
    expect(staff).toMatchObject({ requestsReceived: 1, responseRate: 1, resolutionRate: 1, satisfactionRate: 0, score: 55 });
    // A street's month of one request is a count of 1-4 (disclosure.ts): its count, rates and score are not shown to a portal either.
    expect(portal).toMatchObject({ requestsReceived: null, responseRate: null, resolutionRate: null, satisfactionRate: null, score: null });
  });
});

describe('a livelihood project\'s kept suggestion', () => {
  // April 2030: 和平里社区 has one request, a street light reported by an ELDERLY resident, resolved in 4 hours and rated 2.
  const T1 = new Date('2030-04-02T02:00:00Z');
  const at1 = (hours: number) => new Date(T1.getTime() + hours * HOUR);
  beforeAll(async () => {
    app.clock.set(at1(0));
    const lights = await categoryId(app, 'HOUSING-LIGHTS');
    const created = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: '楼道灯坏了', body: '楼道灯坏了，老人晚上下楼看不见', channel: 'HOTLINE_12345', categoryId: lights, areaId: w.otherGridId, residentGroup: 'ELDERLY', residentName: '李桂兰' },
    });
    const id = created.createRequest.id;
    for (const [name, input, hours, type] of [['dispatchRequest', { assigneePersonId: w.partyMemberId }, 1, 'DispatchRequestInput!'], ['takeRequest', {}, 2, 'TakeRequestInput'], ['resolveRequest', {}, 4, 'PlainStepInput'], ['rateRequest', { satisfaction: 2 }, 5, 'RateRequestInput!']] as const) {
      app.clock.set(at1(hours));
      await ok(app, `mutation($id: ID!, $input: ${type}) { ${name}(id: $id, input: $input) { id } }`, { id, input });
    }
    app.clock.set(new Date('2030-05-01T02:00:00Z'));
    const shown = await ok(app, `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) {
      selected { suggestionId template { code } community { id } } rejected(first: 50) { suggestionId template { code } community { id } } } }`, {
      input: { budget: 1000000, areaId: w.otherCommunityId, from: '2030-04-01', to: '2030-04-30' },
    });
    const suggestion = [...shown.projectSuggestions.selected, ...shown.projectSuggestions.rejected].find((s: any) => s.template.code === 'STREET-LIGHTS' && s.community.id === w.otherCommunityId);
    await ok(app, `mutation($input: AcceptSuggestionInput!) { acceptSuggestion(input: $input) { id } }`, { input: { suggestionId: suggestion.suggestionId } });
  });

  const keptCells = async (viewer?: ReturnType<typeof portalViewer> | ReturnType<typeof accountViewer>) => {
    const result = await app.execute(`{ livelihoodProjects { edges { node { suggestion } } } }`, {}, viewer);
    expect(result.errors).toBeUndefined();
    const kept = result.data.livelihoodProjects.edges.map((edge: any) => edge.node.suggestion).find(Boolean);
    return kept.suggestion.cells.map((cell: any) => ({ volume: cell.volume, satisfactionGap: cell.metrics.satisfactionGap, meanCloseHours: cell.metrics.meanCloseHours, vulnerableShare: cell.metrics.vulnerableShare }));
  };

  test('keeps, for an analyst, the count of a cell of one request but not its resident\'s rating, close time or group; staff read them; a portal reads none of it (its benefit arithmetic quotes the count of 1)', async () => {
    expect(await keptCells(accountViewer(Role.ANALYST, null))).toEqual([{ volume: 1, satisfactionGap: null, meanCloseHours: null, vulnerableShare: null }]);
    expect(await keptCells()).toEqual([{ volume: 1, satisfactionGap: 1, meanCloseHours: 4, vulnerableShare: 1 }]);
    const portal = await app.execute(`{ livelihoodProjects { edges { node { name status suggestionId suggestion } } } }`, {}, portalViewer());
    expect(portal.errors).toBeUndefined();
    const project = portal.data.livelihoodProjects.edges.map((edge: any) => edge.node).find((node: any) => node.suggestionId);
    expect(project).toMatchObject({ suggestion: null, status: 'PROPOSED' });
    expect(JSON.stringify(portal.data)).not.toContain('"volume"');
  });

  test('(found by a review) staff of another community read it, through Community.livelihoodProjects or node(id:), as an analyst does: the cell\'s count, not its resident\'s rating, close time or group; the project\'s own staff and the street\'s read them', async () => {
    const details = (suggestion: any) => suggestion.suggestion.cells.map((cell: any) => ({ volume: cell.volume, satisfactionGap: cell.metrics.satisfactionGap, meanCloseHours: cell.metrics.meanCloseHours, vulnerableShare: cell.metrics.vulnerableShare }));
    const read = async (viewer: ReturnType<typeof accountViewer>) => {
      const listed = await app.execute(`{ communities(first: 50) { edges { node { id livelihoodProjects(first: 50) { edges { node { id suggestion } } } } } } }`, {}, viewer);
      expect(listed.errors).toBeUndefined();
      const community = listed.data.communities.edges.map((edge: any) => edge.node).find((node: any) => node.id === w.otherCommunityId);
      const project = community.livelihoodProjects.edges.map((edge: any) => edge.node).find((node: any) => node.suggestion);
      const byId = await app.execute(`query($id: ID!) { node(id: $id) { ... on LivelihoodProject { suggestion } } }`, { id: project.id }, viewer);
      expect(byId.errors).toBeUndefined();
      return { listed: details(project.suggestion), byId: details(byId.data.node.suggestion) };
    };
    const hidden = [{ volume: 1, satisfactionGap: null, meanCloseHours: null, vulnerableShare: null }];
    const shown = [{ volume: 1, satisfactionGap: 1, meanCloseHours: 4, vulnerableShare: 1 }];
    const elsewhere = await read(accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]));
    expect(elsewhere).toEqual({ listed: hidden, byId: hidden });
    expect(await read(accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.otherCommunityId)]))).toEqual({ listed: shown, byId: shown });
    expect(await read(accountViewer(Role.STREET_STAFF, [await areaPath(app, w.streetId)]))).toEqual({ listed: shown, byId: shown });
  });

  test('a cell of fewer than 5 demands gives no vulnerability boost, for anyone: v beside the metrics, 1 + β·v and the formula would tell the one resident\'s group', async () => {
    for (const viewer of [accountViewer(Role.ANALYST, null), undefined]) {
      const result = await app.execute(`{ livelihoodProjects { edges { node { suggestion } } } }`, {}, viewer);
      const kept = result.data.livelihoodProjects.edges.map((edge: any) => edge.node.suggestion).find(Boolean);
      expect(kept.suggestion.cells.map((cell: any) => ({ volume: cell.volume, v: cell.vulnerableShare, weight: cell.vulnerabilityWeight }))).toEqual([{ volume: 1, v: null, weight: 1 }]);
      expect(kept.suggestion.benefitFormula).toMatch(/×1×\(1\+0\.5×0, v of fewer than 5 demands\)/);
    }
  });

  test('and the live suggestion\'s covered cells read the same for an analyst (portals may not ask for suggestions)', async () => {
    app.clock.set(new Date('2030-05-01T02:00:00Z'));
    const QUERY = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) { rejected(first: 50) { template { code } coveredCells { volume metrics { name value } } } selected { template { code } coveredCells { volume metrics { name value } } } } }`;
    const input = { budget: 1000000, areaId: w.otherCommunityId, from: '2030-04-01', to: '2030-04-30' };
    const metric = (answer: any, name: string) => {
      const all = [...answer.projectSuggestions.selected, ...answer.projectSuggestions.rejected];
      return all.find((s: any) => s.template.code === 'STREET-LIGHTS').coveredCells[0].metrics.find((m: any) => m.name === name).value;
    };
    expect((await app.execute(QUERY, { input }, portalViewer())).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const analyst = (await app.execute(QUERY, { input }, accountViewer(Role.ANALYST, null))).data;
    expect(['satisfactionGap', 'meanCloseHours', 'vulnerableShare'].map((name) => metric(analyst, name))).toEqual([null, null, null]);
    expect(metric(analyst, 'volume')).toBe(1);
    const staff = await ok(app, QUERY, { input });
    expect(metric(staff, 'satisfactionGap')).toBe(1);
  });
});

const RANK_TOPIC = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { label metrics { volume resolutionGap meanCloseHours timelinessP50Hours vulnerableShare } topicOfMonth { reasons missing } } } }`;

test('topicOfMonth (found by a review): a one-request cell\'s hidden resolution rate is not quoted in its reasons/missing for an analyst; a portal reads no such row', async () => {
  const input = { from: '2030-03-04', to: '2030-03-04', sources: 'REQUESTS', areaId: w.gridId, groupBy: ['CATEGORY'], minSupport: 0 };
  const result = await app.execute(RANK_TOPIC, { input }, accountViewer(Role.ANALYST, null));
  expect(result.errors).toBeUndefined();
  const [row] = result.data.demandRanking.rows;
  expect(row.metrics.volume).toBe(1);
  expect(row.metrics.resolutionGap).toBeNull();
  const texts = [...row.topicOfMonth.reasons, ...row.topicOfMonth.missing];
  expect(texts.filter((t: string) => /^resolved \d/.test(t))).toEqual([]);
  // A count of 1-4 (disclosure.ts): the row, its topic of the month with it, is withheld from a portal.
  const portal = await app.execute(RANK_TOPIC, { input }, portalViewer());
  expect(portal.errors).toBeUndefined();
  expect(portal.data.demandRanking.rows).toEqual([]);
});

describe('(found by a review) a cell of 5 demands of which one is finished', () => {
  // June 2030, grid 幸福里第一网格: five requests; ONE resolved after 7 hours.
  const T2 = new Date('2030-06-03T02:00:00Z');
  const at2 = (hours: number) => new Date(T2.getTime() + hours * HOUR);
  beforeAll(async () => {
    const repair = await categoryId(app, 'HOUSING-REPAIR');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      app.clock.set(at2(i * 0.01));
      const created = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
        input: { title: `漏水${i}`, body: '家中漏水，请维修', channel: 'HOTLINE_12345', categoryId: repair, areaId: w.buildingId, residentGroup: i === 0 ? 'DISABLED' : 'ORDINARY' },
      }).catch(async () => ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
        input: { title: `漏水${i}`, body: '家中漏水，请维修', channel: 'HOTLINE_12345', categoryId: repair, areaId: w.buildingId },
      }));
      ids.push(created.createRequest.id);
    }
    await step('dispatchRequest', ids[0], { assigneePersonId: w.partyMemberId }, 1, 'DispatchRequestInput!');
    await step('takeRequest', ids[0], {}, 2, 'TakeRequestInput');
    app.clock.set(at2(7));
    await ok(app, `mutation($id: ID!, $input: PlainStepInput) { resolveRequest(id: $id, input: $input) { id } }`, { id: ids[0], input: {} });
    app.clock.set(new Date('2030-06-20T02:00:00Z'));
  });

  test('the close time of its ONE finished request is not shown to a portal (the rule: fewer than 5 finished records, for close times)', async () => {
    const input = { from: '2030-06-03', to: '2030-06-03', sources: 'REQUESTS', areaId: w.gridId, groupBy: ['CATEGORY'], minSupport: 0 };
    const staff = (await ok(app, RANK_TOPIC, { input })).demandRanking.rows[0];
    expect(staff.metrics.volume).toBe(5);
    expect(staff.metrics.meanCloseHours).toBe(7);
    const portal = (await app.execute(RANK_TOPIC, { input }, portalViewer())).data.demandRanking.rows[0];
    expect(portal.metrics.meanCloseHours).toBeNull();
  });
});

describe('includeConsultations (found by a review): volume counting consultations does not open a cell of one demand', () => {
  beforeAll(async () => {
    app.clock.set(new Date('2026-07-20T02:00:00Z'));
    const em = app.orm.em.fork();
    const [pair] = await em.execute(`select a.code as demand_code, b.code as consult_code from service_item a join service_item b on a.category_id = b.category_id and b.is_consultation where not a.is_consultation order by a.code limit 1`);
    const [community] = await em.execute(`select code from area where id = ?`, [dbId(w.communityId)]);
    const records = [{
      sourceId: 'GJ20260701-0000000001', itemCode: pair.demand_code, communityCode: community.code, status: 'FINISHED', residentGroups: ['LOW_INCOME'], satisfaction: 1,
      receivedAt: '2026-07-01T01:00:00Z', finishedAt: '2026-07-01T04:00:00Z',
    }];
    for (let i = 2; i <= 5; i += 1) records.push({ sourceId: `GJ20260701-000000000${i}`, itemCode: pair.consult_code, communityCode: community.code, status: 'FINISHED', residentGroups: [], satisfaction: undefined as any, receivedAt: '2026-07-01T02:00:00Z', finishedAt: '2026-07-01T02:30:00Z' });
    const imported = await ok(app, `mutation($records: [ServiceRecordInput!]!) { importServiceRecords(source: "hall", records: $records) { inserted rejections(first: 5) { edges { node { column reason } } } } }`, { records: records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))) });
    expect(imported.importServiceRecords.rejections.edges).toEqual([]);
    expect(imported.importServiceRecords.inserted).toBe(5);
  });

  test('a portal sees neither the one demand\'s close time nor its resident\'s group', async () => {
    const input = { from: '2026-07-01', to: '2026-07-01', sources: 'SERVICE_RECORDS', areaId: w.communityId, groupBy: ['CATEGORY'], minSupport: 0, includeConsultations: true };
    const Q = `query($input: DemandRankingInput!) { demandRanking(input: $input) { rows { label evidenceIds metrics { volume consultations meanCloseHours vulnerableShare resolutionGap } } } }`;
    const staff = (await ok(app, Q, { input })).demandRanking.rows;
    const portalResult = await app.execute(Q, { input }, portalViewer());
    expect(portalResult.errors).toBeUndefined();
    const portal = portalResult.data.demandRanking.rows;
    const i = staff.findIndex((r: any) => r.metrics.consultations === 4);
    expect(staff[i].metrics).toMatchObject({ volume: 5, consultations: 4, meanCloseHours: 3, vulnerableShare: 1 });
    // Nor the row: volume 5 less consultations 4 is the one demand (a count of 1-4, disclosure.ts).
    expect(portal.map((r: any) => r.label)).not.toContain(staff[i].label);
    expect(portal).toHaveLength(staff.length - 1);
    expect(await withheld(input, portalViewer())).toMatchObject({ rowsWithheld: 1 });
  });
});


test('(found by a review) a kept suggestion\'s cell of 5 or more demands shows a portal no count its figures give back: surge (the baseline\'s count is not kept), an open backlog of 1-4, a rate whose demands are 1-4; an analyst reads them', async () => {
  const em = app.orm.em.fork();
  const [project] = await em.execute(`select id, suggestion from livelihood_project where suggestion is not null order by id limit 1`);
  const cell = (metrics: Record<string, number>) => ({ volume: 12, categoryId: 1, communityId: dbId(w.communityId), metrics });
  const crafted = {
    suggestion: {
      cells: [
        // μ 0.03 for a one-day period against a year: the baseline held 1 record, and surgeZ beside n gives it back.
        cell({ volume: 12, surgeExpected: 0.03, surgeZ: 69.1, backlogOpen: 2, ratePer10k: 0.6, population: 50_000, resolutionGap: 0.25 }),
        cell({ volume: 12, surgeExpected: 8.2, surgeZ: 1.3, backlogOpen: 7, ratePer10k: 2.4, population: 50_000, resolutionGap: 0.25 }),
      ],
    },
  };
  await em.execute(`update livelihood_project set suggestion = ? where id = ?`, [JSON.stringify(crafted), project.id]);
  try {
    const read = async (viewer: ReturnType<typeof portalViewer> | ReturnType<typeof accountViewer>) => {
      const result = await app.execute(`query($id: ID!) { node(id: $id) { ... on LivelihoodProject { suggestion } } }`, { id: toGlobalId('LivelihoodProject', project.id) }, viewer);
      expect(result.errors).toBeUndefined();
      return result.data.node.suggestion.suggestion.cells.map((c: any) => c.metrics);
    };
    const hidden = { surgeExpected: null, surgeZ: null, backlogOpen: null, ratePer10k: null };
    expect(await read(portalViewer())).toEqual([
      expect.objectContaining({ ...hidden, resolutionGap: 0.25 }),
      // rate × population: 12 demands, none left out; its backlog of 7 is no small count; the surge's baseline is not kept.
      expect.objectContaining({ surgeExpected: null, surgeZ: null, backlogOpen: 7, ratePer10k: 2.4 }),
    ]);
    expect(await read(accountViewer(Role.ANALYST, null))).toEqual([
      expect.objectContaining({ surgeExpected: 0.03, surgeZ: 69.1, backlogOpen: 2, ratePer10k: 0.6 }),
      expect.objectContaining({ surgeExpected: 8.2, surgeZ: 1.3, backlogOpen: 7, ratePer10k: 2.4 }),
    ]);
  } finally {
    await em.execute(`update livelihood_project set suggestion = ? where id = ?`, [JSON.stringify(project.suggestion), project.id]);
  }
});

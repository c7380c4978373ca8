import { expectNothingWritten, rawRow } from '../helpers/closed-loop-fixtures';
import { buildWorld, createCommunity, dbId, expectError, ok, type World } from '../helpers/fixtures';
import { addServiceDemand } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { Role } from '../../src/modules/identity/role';
import type { Viewer } from '../../src/context/context';
import { accountViewer, areaPath } from '../helpers/access-fixtures';

/* A livelihood project from proposal to acceptance (验收), and every move it must refuse. */

let app: TestApp;
let w: World;

const FIELDS = `id status progress version budget name expectedBeneficiaries approvedAt startedAt acceptedOn actualBeneficiaries actualCost acceptanceNote cancelledAt costVariance
  fundingSources { kind amount unit { id } }
  events { totalCount edges { node { sequence kind fromStatus toStatus progress note actor } } }`;
const ACCEPT = `mutation($input: AcceptSuggestionInput!) { acceptSuggestion(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateLivelihoodProjectInput!) { updateLivelihoodProject(id: $id, input: $input) { ${FIELDS} } }`;
const APPROVE = `mutation($id: ID!, $input: ProjectStepInput) { approveLivelihoodProject(id: $id, input: $input) { ${FIELDS} } }`;
const START = `mutation($id: ID!, $input: ProjectStepInput) { startLivelihoodProject(id: $id, input: $input) { ${FIELDS} } }`;
const PROGRESS = `mutation($id: ID!, $input: ReportProgressInput!) { reportProjectProgress(id: $id, input: $input) { ${FIELDS} } }`;
const RECORD = `mutation($id: ID!, $input: RecordAcceptanceInput!) { recordProjectAcceptance(id: $id, input: $input) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $input: CancelProjectInput!) { cancelLivelihoodProject(id: $id, input: $input) { ${FIELDS} } }`;
const LIST = `query($filter: LivelihoodProjectFilter) { livelihoodProjects(filter: $filter) { totalCount edges { node { id name status community { name } } } } }`;
const SUGGEST = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) { selected { suggestionId template { code } community { id } } rejected(first: 50) { suggestionId template { code } community { id } } } }`;

/** The suggestion ID of a template in a community (selected or not). */
async function suggestionOf(code: string, communityId: string): Promise<string> {
  const answer = (await ok(app, SUGGEST, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30' } })).projectSuggestions;
  return [...answer.selected, ...answer.rejected].find((s: any) => s.template.code === code && s.community.id === communityId).suggestionId;
}

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-DAYCARE', 120, ['ELDERLY']);
  await addServiceDemand(app, w.communityId, 'HOUSING-DRAINAGE', 80);
  await addServiceDemand(app, w.otherCommunityId, 'HOUSING-PROPERTY', 30);
});
afterAll(async () => {
  await app?.close();
});
afterEach(() => app.clock.reset());

describe('a livelihood project from proposal to acceptance', () => {
  let id: string;

  test('proposed from a suggestion with its budget and funding', async () => {
    const project = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionOf('DAYCARE-ROOM', w.communityId) } })).acceptSuggestion;
    id = project.id;
    expect(project).toMatchObject({ status: 'PROPOSED', progress: 0, budget: 480_000, expectedBeneficiaries: 60, fundingSources: [{ kind: 'GOVERNMENT', amount: 480_000, unit: null }] });
  });

  test('edited while PROPOSED: the budget and funding change together, or not at all', async () => {
    const refused = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { budget: 450_000 } }), [{ table: 'livelihood_project', id }]);
    expectError(refused, 'BAD_USER_INPUT', 'input.fundingSources');
    const blankName = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { name: '   ' } }), [{ table: 'livelihood_project', id }]);
    // null for a field that cannot be cleared is refused, not taken as "unchanged" (the form showed success and the old value).
    for (const field of ['name', 'budget', 'fundingSources', 'targetGroups', 'expectedBeneficiaries']) {
      const cleared = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { [field]: null } }), [{ table: 'livelihood_project', id }]);
      expectError(cleared, 'BAD_USER_INPUT', `input.${field}`);
    }
    expectError(blankName, 'BAD_USER_INPUT', 'input.name');
    const overCap = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { budget: 520_000, fundingSources: [{ kind: 'GOVERNMENT', amount: 520_000 }] } }), [{ table: 'livelihood_project', id }]);
    expectError(overCap, 'BAD_USER_INPUT', 'input.budget');
    const subFen = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { budget: 450_000, fundingSources: [{ kind: 'GOVERNMENT', amount: 449_999.99 }, { kind: 'OTHER', amount: 0.006 }] } }), [{ table: 'livelihood_project', id }]);
    expectError(subFen, 'BAD_USER_INPUT', 'input.fundingSources.1.amount');
    expect(subFen.errors![0].message).toBe('input.fundingSources.1.amount: must be yuan in whole fen (at most 2 decimals)');
    const project = (await ok(app, UPDATE, {
      id,
      input: { budget: 450_000, name: '幸福里日间照料中心', expectedBeneficiaries: 70, fundingSources: [{ kind: 'GOVERNMENT', amount: 300_000 }, { kind: 'UNIT', unitId: w.units.hospitalId, amount: 150_000 }], note: '按评审意见调整' },
    })).updateLivelihoodProject;
    expect(project).toMatchObject({ status: 'PROPOSED', budget: 450_000, name: '幸福里日间照料中心', expectedBeneficiaries: 70, version: 2 });
    expect(project.fundingSources).toEqual([{ kind: 'GOVERNMENT', amount: 300_000, unit: null }, { kind: 'UNIT', amount: 150_000, unit: { id: w.units.hospitalId } }]);
  });

  test('progress cannot be reported before the project starts: ILLEGAL_TRANSITION, nothing written', async () => {
    const result = await expectNothingWritten(app, () => app.execute(PROGRESS, { id, input: { progress: 10 } }), [{ table: 'livelihood_project', id }]);
    expectError(result, 'ILLEGAL_TRANSITION');
    expect(result.errors![0].extensions).toMatchObject({ from: 'PROPOSED', action: 'report progress on' });
  });

  test('approved, then started; acting on a stale version is a CONFLICT', async () => {
    app.clock.set(new Date('2026-07-01T02:00:00Z'));
    const stale = await expectNothingWritten(app, () => app.execute(APPROVE, { id, input: { expectedVersion: 1 } }), [{ table: 'livelihood_project', id }]);
    expectError(stale, 'CONFLICT', 'input.expectedVersion');
    const approved = (await ok(app, APPROVE, { id, input: { note: '街道党工委审议通过', expectedVersion: 2 } })).approveLivelihoodProject;
    expect(approved).toMatchObject({ status: 'APPROVED', approvedAt: '2026-07-01T02:00:00.000Z' });
    const again = await expectNothingWritten(app, () => app.execute(APPROVE, { id }), [{ table: 'livelihood_project', id }]);
    expectError(again, 'ILLEGAL_TRANSITION');
    const edit = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { name: '改名' } }), [{ table: 'livelihood_project', id }]);
    expectError(edit, 'ILLEGAL_TRANSITION');
    app.clock.set(new Date('2026-07-10T02:00:00Z'));
    expect((await ok(app, START, { id })).startLivelihoodProject).toMatchObject({ status: 'IN_PROGRESS', startedAt: '2026-07-10T02:00:00.000Z' });
  });

  test("another community's staff cannot report progress, not even an unchanged figure that touches only the ledger: FORBIDDEN, nothing written", async () => {
    const outsider = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.otherCommunityId)]);
    for (const progress of [0, 10]) {
      const result = await expectNothingWritten(app, () => app.execute(PROGRESS, { id, input: { progress, note: '越权上报' } }, outsider), [{ table: 'livelihood_project', id }]);
      expectError(result, 'FORBIDDEN');
    }
  });

  test('progress goes up, never back', async () => {
    expect((await ok(app, PROGRESS, { id, input: { progress: 40, note: '场地装修完成' } })).reportProjectProgress).toMatchObject({ status: 'IN_PROGRESS', progress: 40 });
    const back = await expectNothingWritten(app, () => app.execute(PROGRESS, { id, input: { progress: 30 } }), [{ table: 'livelihood_project', id }]);
    expectError(back, 'BAD_USER_INPUT', 'input.progress');
    const over = await app.execute(PROGRESS, { id, input: { progress: 101 } });
    expectError(over, 'BAD_USER_INPUT', 'input.progress');
    expect((await ok(app, PROGRESS, { id, input: { progress: 90 } })).reportProjectProgress.progress).toBe(90);
  });

  test('acceptance (验收) is recorded with its figures; a date in the future or before the start is refused', async () => {
    app.clock.set(new Date('2026-10-20T02:00:00Z'));
    const future = await expectNothingWritten(app, () => app.execute(RECORD, { id, input: { acceptedOn: '2026-10-21', actualBeneficiaries: 80, actualCost: 440_000 } }), [{ table: 'livelihood_project', id }]);
    expectError(future, 'BAD_USER_INPUT', 'input.acceptedOn');
    const early = await expectNothingWritten(app, () => app.execute(RECORD, { id, input: { acceptedOn: '2026-07-09', actualBeneficiaries: 80, actualCost: 440_000 } }), [{ table: 'livelihood_project', id }]);
    expectError(early, 'BAD_USER_INPUT', 'input.acceptedOn');
    const negative = await app.execute(RECORD, { id, input: { acceptedOn: '2026-10-20', actualBeneficiaries: 80, actualCost: -1 } });
    expectError(negative, 'BAD_USER_INPUT', 'input.actualCost');
    const subFen = await expectNothingWritten(app, () => app.execute(RECORD, { id, input: { acceptedOn: '2026-10-20', actualBeneficiaries: 80, actualCost: 439_999.999 } }), [{ table: 'livelihood_project', id }]);
    expectError(subFen, 'BAD_USER_INPUT', 'input.actualCost');
    expect(subFen.errors![0].message).toBe('input.actualCost: must be yuan in whole fen (at most 2 decimals)');
    const project = (await ok(app, RECORD, { id, input: { acceptedOn: '2026-10-20', actualBeneficiaries: 80, actualCost: 440_000, note: '街道组织验收, 居民代表参加' } })).recordProjectAcceptance;
    expect(project).toMatchObject({ status: 'ACCEPTED', progress: 100, acceptedOn: '2026-10-20', actualBeneficiaries: 80, actualCost: 440_000, costVariance: -10_000, acceptanceNote: '街道组织验收, 居民代表参加' });
    expect(project.events.edges.map((e: any) => [e.node.sequence, e.node.kind, e.node.fromStatus, e.node.toStatus, e.node.progress])).toEqual([
      [1, 'PROPOSED', null, 'PROPOSED', null],
      [2, 'UPDATED', 'PROPOSED', 'PROPOSED', null],
      [3, 'APPROVED', 'PROPOSED', 'APPROVED', null],
      [4, 'STARTED', 'APPROVED', 'IN_PROGRESS', null],
      [5, 'PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 40],
      [6, 'PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 90],
      [7, 'ACCEPTED', 'IN_PROGRESS', 'ACCEPTED', 100],
    ]);
    expect(project.events.edges[2].node).toMatchObject({ note: '街道党工委审议通过', actor: 'account:system' });
  });

  test('an accepted project cannot be cancelled, restarted or reported on', async () => {
    for (const [query, input] of [[CANCEL, { note: '撤销' }], [START, null], [PROGRESS, { progress: 100 }], [RECORD, { acceptedOn: '2026-10-20', actualBeneficiaries: 1, actualCost: 1 }]] as const) {
      const result = await expectNothingWritten(app, () => app.execute(query, { id, input }), [{ table: 'livelihood_project', id }]);
      expectError(result, 'ILLEGAL_TRANSITION');
    }
  });

  test('the ledger is append-only in the database', async () => {
    const em = app.orm.em.fork();
    await expect(em.execute('update project_event set note = ? where sequence = 1', ['改写'])).rejects.toThrow(/append-only/);
    await expect(em.execute('delete from project_event')).rejects.toThrow(/append-only/);
  });
});

describe('cancelling, and the list', () => {
  test('cancelled with a reason from PROPOSED; the template can then be proposed again in that community', async () => {
    const suggestionId = await suggestionOf('DRAINAGE-REPAIR', w.communityId);
    const first = (await ok(app, ACCEPT, { input: { suggestionId } })).acceptSuggestion;
    const noReason = await app.execute(CANCEL, { id: first.id, input: { note: '' } });
    expectError(noReason, 'BAD_USER_INPUT', 'input.note');
    const cancelled = (await ok(app, CANCEL, { id: first.id, input: { note: '纳入区级管网改造计划' } })).cancelLivelihoodProject;
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect((await rawRow(app, 'livelihood_project', first.id))!.status).toBe('CANCELLED');
    const second = (await ok(app, ACCEPT, { input: { suggestionId } })).acceptSuggestion;
    expect(second.status).toBe('PROPOSED');
  });

  test('livelihoodProjects filters by area and status', async () => {
    const mediation = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionOf('PROPERTY-MEDIATION', w.otherCommunityId) } })).acceptSuggestion;
    const inStreet = (await ok(app, LIST, { filter: { within: w.streetId } })).livelihoodProjects;
    expect(inStreet.totalCount).toBe(4);
    const other = (await ok(app, LIST, { filter: { within: w.otherCommunityId } })).livelihoodProjects;
    expect(other.edges.map((e: any) => e.node.id)).toEqual([mediation.id]);
    const active = (await ok(app, LIST, { filter: { statuses: ['PROPOSED'] } })).livelihoodProjects;
    expect(active.edges.map((e: any) => e.node.community.name).sort()).toEqual(['和平里社区', '幸福里社区']);
    // A viewer whose scope is empty (the liaison of a unit serving no community) lists none, not all.
    const unpaired = await app.execute(LIST, {}, accountViewer(Role.UNIT_LIAISON, [], { unitId: 1 }));
    expect(unpaired.errors).toBeUndefined();
    expect((unpaired.data as any).livelihoodProjects.totalCount).toBe(0);
    const bad = await app.execute(LIST, { filter: { within: 'nope' } });
    expectError(bad, 'BAD_USER_INPUT', 'filter.within');
  });
});

test('the default name of a community and a template with long names is cut to what the column holds, not an internal error', async () => {
  const community = await createCommunity(app, w.streetId, '长'.repeat(100));
  await addServiceDemand(app, community, 'HOUSING-PROPERTY', 30);
  const templates = (await ok(app, `query { projectTemplates(first: 5, filter: { search: "PROPERTY-MEDIATION" }) { edges { node { id code } } } }`)).projectTemplates.edges;
  const template = templates.find((edge: any) => edge.node.code === 'PROPERTY-MEDIATION').node.id;
  await ok(app, `mutation($id: ID!, $input: UpdateProjectTemplateInput!) { updateProjectTemplate(id: $id, input: $input) { id } }`, { id: template, input: { name: '调'.repeat(60) } });
  const project = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionOf('PROPERTY-MEDIATION', community) } })).acceptSuggestion;
  expect(project.name).toBe(`${'长'.repeat(100)}${'调'.repeat(20)}`);
});

test("community staff accepting another community's suggestion get FORBIDDEN and nothing is written; their own community's still passes the scope check", async () => {
  const suggestionId = await suggestionOf('DRAINAGE-REPAIR', w.communityId);
  const outsider = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.otherCommunityId)]);
  const refused = await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId } }, outsider));
  expectError(refused, 'FORBIDDEN');
  expect(refused.errors![0].message).toBe('This LivelihoodProject is outside the areas you may change');
  // The insider, with the suggestion as they compute it (the admin's ran over all areas: theirs is refused, see below),
  // gets past the scope check to the next rule: the community already has an active drainage project.
  const insider = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
  const theirs = (await app.execute(SUGGEST, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30' } }, insider)).data as any;
  const own = [...theirs.projectSuggestions.selected, ...theirs.projectSuggestions.rejected].find((s: any) => s.template.code === 'DRAINAGE-REPAIR' && s.community.id === w.communityId);
  expectError(await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: own.suggestionId } }, insider)), 'CONFLICT', 'input.suggestionId');
});

test('every step moves the version, even one that changes only the funding or repeats a progress figure: a step on the old version is a CONFLICT', async () => {
  const community = await createCommunity(app, w.streetId, '版本社区');
  await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
  const project = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionOf('DRAINAGE-REPAIR', community) } })).acceptSuggestion;
  // Only the funding changes: the project row itself would be written unchanged.
  const funded = (await ok(app, UPDATE, { id: project.id, input: { fundingSources: [{ kind: 'GOVERNMENT', amount: project.budget - 50_000 }, { kind: 'UNIT', unitId: w.units.hospitalId, amount: 50_000 }] } })).updateLivelihoodProject;
  expect(funded.version).toBe(project.version + 1);
  const stale = await expectNothingWritten(app, () => app.execute(APPROVE, { id: project.id, input: { expectedVersion: project.version } }), [{ table: 'livelihood_project', id: project.id }]);
  expectError(stale, 'CONFLICT', 'input.expectedVersion');
  await ok(app, APPROVE, { id: project.id, input: { expectedVersion: funded.version } });
  await ok(app, START, { id: project.id });
  const first = (await ok(app, PROGRESS, { id: project.id, input: { progress: 30 } })).reportProjectProgress;
  const repeated = (await ok(app, PROGRESS, { id: project.id, input: { progress: 30, note: '进度不变, 记一笔' } })).reportProjectProgress;
  expect(repeated.version).toBe(first.version + 1);
  expect((await rawRow(app, 'livelihood_project', project.id))!.version).toBe(repeated.version);
  const late = await app.execute(PROGRESS, { id: project.id, input: { progress: 40, expectedVersion: first.version } });
  expectError(late, 'CONFLICT', 'input.expectedVersion');
});

test("a community's staff accepting their community's line of a district-wide suggestion are told what to do instead (FORBIDDEN on input.suggestionId), and doing it works", async () => {
  const community = await createCommunity(app, w.streetId, '分担社区');
  await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
  const districtWide = (await ok(app, SUGGEST, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30', areaId: w.districtId } })).projectSuggestions;
  const line = [...districtWide.selected, ...districtWide.rejected].find((s: any) => s.template.code === 'DRAINAGE-REPAIR' && s.community.id === community);
  const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, community)]);
  // The district's query cannot be re-run in their name (they may not see the district's demand).
  const refused = await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: line.suggestionId } }, staff));
  expectError(refused, 'FORBIDDEN', 'input.suggestionId');
  expect(refused.errors![0].message).toBe(
    'input.suggestionId: this suggestion was computed for 示范区, beyond the areas you may see, so it cannot be accepted in your name: '
      + `ask an account whose area covers 示范区 to accept it, or run projectSuggestions with areaId ${community} and accept the suggestion it gives`,
  );
  // What the message says: the community's own suggestion is accepted, for the community.
  const own = await app.execute(SUGGEST, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30', areaId: community } }, staff);
  expect(own.errors).toBeUndefined();
  const ownLine = [...(own.data as any).projectSuggestions.selected, ...(own.data as any).projectSuggestions.rejected].find((s: any) => s.template.code === 'DRAINAGE-REPAIR');
  const accepted = await app.execute(ACCEPT, { input: { suggestionId: ownLine.suggestionId } }, staff);
  expect(accepted.errors).toBeUndefined();
  expect((await rawRow(app, 'livelihood_project', (accepted.data as any).acceptSuggestion.id))!.community_id).toBe(dbId(community));
});

test('a template with an active project in a community is not suggested there again: the candidate says why, and is suggested again once the project is cancelled', async () => {
  const community = await createCommunity(app, w.streetId, '在建社区');
  await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
  const REASONS = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) {
    selected { template { code } reasons bindingConstraints } rejected(first: 50) { template { code } reasons bindingConstraints suggestionId } } }`;
  const drainage = async () => {
    const answer = (await ok(app, REASONS, { input: { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30', areaId: community } })).projectSuggestions;
    return { selected: answer.selected.find((s: any) => s.template.code === 'DRAINAGE-REPAIR'), rejected: answer.rejected.find((s: any) => s.template.code === 'DRAINAGE-REPAIR') };
  };
  expect((await drainage()).selected).toBeDefined();
  const project = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionOf('DRAINAGE-REPAIR', community) } })).acceptSuggestion;
  for (const step of [null, APPROVE, START]) {
    if (step) await ok(app, step, { id: project.id });
    const after = await drainage();
    expect(after.selected).toBeUndefined();
    expect(after.rejected).toMatchObject({
      bindingConstraints: ['ACTIVE_PROJECT'],
      reasons: [`在建社区 already has an active 下水道改造 project (${project.id}, ${step === null ? 'PROPOSED' : step === APPROVE ? 'APPROVED' : 'IN_PROGRESS'}): another is suggested once it is accepted or cancelled`],
    });
    // Accepting it anyway is the CONFLICT acceptSuggestion has always answered.
    expectError(await app.execute(ACCEPT, { input: { suggestionId: after.rejected.suggestionId } }), 'CONFLICT', 'input.suggestionId');
  }
  await ok(app, CANCEL, { id: project.id, input: { note: '撤销' } });
  expect((await drainage()).selected).toBeDefined();
});

describe('a suggestion computed without areaId is accepted over the areas it was computed over, or refused', () => {
  const SHOWN = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) {
    totals { budget spent left } selected { suggestionId benefit netCost selected template { code } community { id } } rejected(first: 50) { suggestionId benefit netCost selected template { code } community { id } } } }`;
  const READ = `query($id: ID!) { node(id: $id) { ... on LivelihoodProject { suggestion } } }`;
  const INPUT = { budget: 3_000_000, from: '2026-06-01', to: '2026-06-30' };
  const lineOf = (answer: any, code: string, community: string) => [...answer.selected, ...answer.rejected].find((s: any) => s.template.code === code && s.community.id === community);
  const reencode = (id: string, change: (payload: any) => void) => {
    const payload = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    change(payload);
    return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  };

  test("an unrestricted admin's suggestion, accepted by a community's staff, is refused (FORBIDDEN on input.suggestionId, saying what to do), not recomputed over their community", async () => {
    const community = await createCommunity(app, w.streetId, '全域社区');
    await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
    const line = lineOf((await ok(app, SHOWN, { input: INPUT })).projectSuggestions, 'DRAINAGE-REPAIR', community);
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, community)]);
    const refused = await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: line.suggestionId } }, staff));
    expectError(refused, 'FORBIDDEN', 'input.suggestionId');
    expect(refused.errors![0].message).toBe(
      'input.suggestionId: this suggestion was computed over all areas, beyond the areas you may see, so it cannot be accepted in your name: '
        + `ask an account that sees all areas to accept it, or run projectSuggestions with areaId ${community} and accept the suggestion it gives`,
    );
  });

  test("a community staffer's suggestion, accepted by an unrestricted admin, keeps the numbers the staffer was shown", async () => {
    const community = await createCommunity(app, w.streetId, '本域社区');
    await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, community)]);
    const shown = await app.execute(SHOWN, { input: INPUT }, staff);
    expect(shown.errors).toBeUndefined();
    const answer = (shown.data as any).projectSuggestions;
    const line = lineOf(answer, 'DRAINAGE-REPAIR', community);
    // Everything the admin sees would compete for the same budget: other totals than the staffer's.
    expect((await ok(app, SHOWN, { input: INPUT })).projectSuggestions.totals).not.toEqual(answer.totals);
    const project = (await ok(app, ACCEPT, { input: { suggestionId: line.suggestionId } })).acceptSuggestion;
    const kept = (await ok(app, READ, { id: project.id })).node.suggestion;
    expect({ budget: kept.totals.budget, spent: kept.totals.spent, left: kept.totals.left }).toEqual(answer.totals);
    expect({ benefit: kept.suggestion.benefit, netCost: kept.suggestion.netCost, selected: kept.suggestion.selected })
      .toEqual({ benefit: line.benefit, netCost: line.netCost, selected: line.selected });
  });

  test('the areas an ID records grant nothing: edited to areas the acceptor may not see, or left out, it is refused and nothing is written', async () => {
    const community = await createCommunity(app, w.streetId, '改写社区');
    await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, community)]);
    const shown = await app.execute(SHOWN, { input: INPUT }, staff);
    const { suggestionId } = lineOf((shown.data as any).projectSuggestions, 'DRAINAGE-REPAIR', community);
    const district = await areaPath(app, w.districtId);
    for (const forged of [reencode(suggestionId, (p) => { p.s = '*'; }), reencode(suggestionId, (p) => { p.s = [district]; })]) {
      expectError(await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: forged } }, staff)), 'FORBIDDEN', 'input.suggestionId');
    }
    for (const forged of [reencode(suggestionId, (p) => { delete p.s; }), reencode(suggestionId, (p) => { p.s = ['/no/such/']; }), reencode(suggestionId, (p) => { p.s = 7; })]) {
      expectError(await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: forged } }, staff)), 'BAD_USER_INPUT', 'input.suggestionId');
    }
  });
});

describe("approval and acceptance (验收) are the street's, not the proposing community's (review: community staff approved and accepted their own projects)", () => {
  test("the community's own staff (and an administrator bound to the community) get FORBIDDEN and nothing is written; the street approves, the district accepts, the community runs it in between", async () => {
    const community = await createCommunity(app, w.streetId, '自验社区');
    await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
    const { id } = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionOf('DRAINAGE-REPAIR', community) } })).acceptSuggestion;
    const own = [{ table: 'livelihood_project', id }];
    const communityPath = await areaPath(app, community);
    const insiders = [accountViewer(Role.COMMUNITY_STAFF, [communityPath]), accountViewer(Role.GRID_WORKER, [communityPath]), accountViewer(Role.DISTRICT_ADMIN, [communityPath])];
    const staff = insiders[0];
    const street = accountViewer(Role.STREET_STAFF, [await areaPath(app, w.streetId)]);
    const district = accountViewer(Role.DISTRICT_ADMIN, [await areaPath(app, w.districtId)]);
    const actor = (viewer: Viewer) => `account:${(viewer as { username: string }).username}`;
    const refuses = async (query: string, input: Record<string, unknown> | null, viewer: Viewer) => {
      const refused = await expectNothingWritten(app, () => app.execute(query, { id, input }, viewer), own);
      expectError(refused, 'FORBIDDEN');
      return refused.errors![0].message;
    };

    for (const insider of insiders) {
      expect(await refuses(APPROVE, { note: '社区自批' }, insider)).toBe(
        "a livelihood project of 自验社区 is approved by the street or district above it (street staff, a district administrator), not by the community's own staff",
      );
    }
    const approved = await app.execute(APPROVE, { id, input: { note: '街道党工委审议通过' } }, street);
    expect(approved.errors).toBeUndefined();
    expect((approved.data as any).approveLivelihoodProject.status).toBe('APPROVED');

    // Starting and reporting stay the community's.
    expect((await app.execute(START, { id }, staff)).errors).toBeUndefined();
    expect((await app.execute(PROGRESS, { id, input: { progress: 90 } }, staff)).errors).toBeUndefined();

    const acceptance = { actualBeneficiaries: 300, actualCost: 100_000, note: '社区自验' };
    for (const insider of insiders) {
      expect(await refuses(RECORD, acceptance, insider)).toBe(
        "a livelihood project of 自验社区 is accepted (验收) by the street or district above it (street staff, a district administrator), not by the community's own staff",
      );
    }
    const accepted = await app.execute(RECORD, { id, input: { ...acceptance, note: '区级验收' } }, district);
    expect(accepted.errors).toBeUndefined();
    const project = (accepted.data as any).recordProjectAcceptance;
    expect(project.status).toBe('ACCEPTED');
    expect(project.events.edges.map((e: any) => [e.node.kind, e.node.actor])).toEqual([
      ['PROPOSED', 'account:system'],
      ['APPROVED', actor(street)],
      ['STARTED', actor(staff)],
      ['PROGRESS', actor(staff)],
      ['ACCEPTED', actor(district)],
    ]);
  });

  test("another street's staff still cannot approve it (outside their area): FORBIDDEN, nothing written", async () => {
    const community = await createCommunity(app, w.streetId, '越界社区');
    await addServiceDemand(app, community, 'HOUSING-DRAINAGE', 80);
    const { id } = (await ok(app, ACCEPT, { input: { suggestionId: await suggestionOf('DRAINAGE-REPAIR', community) } })).acceptSuggestion;
    const otherStreet = accountViewer(Role.STREET_STAFF, [`${await areaPath(app, w.districtId)}999999/`]);
    const refused = await expectNothingWritten(app, () => app.execute(APPROVE, { id }, otherStreet), [{ table: 'livelihood_project', id }]);
    expectError(refused, 'FORBIDDEN');
  });
});

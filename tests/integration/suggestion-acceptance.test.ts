import { buildWorld, expectError, expectNothingWritten, ok, type World } from '../helpers/fixtures';
import { addServiceDemand } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * An accepted suggestion keeps the numbers that were shown (found by an analytics review): its ID
 * records the period and the instant they were computed for, and acceptance re-runs exactly that
 * query. Data that changed in between make the numbers differ: CONFLICT, never other numbers kept.
 */
let app: TestApp;
let w: World;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 86, ['ELDERLY'], '2026-06-15');
  await addServiceDemand(app, w.otherCommunityId, 'CARE-CANTEEN', 200, ['ELDERLY'], '2026-06-16');
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 40, [], '2026-06-20');
  await addServiceDemand(app, w.otherCommunityId, 'HOUSING-LIGHTS', 25, [], '2026-06-21');
  await addServiceDemand(app, w.communityId, 'CIV-CHILD', 33, ['CHILDREN'], '2026-06-22');
  await addServiceDemand(app, w.communityId, 'CARE-CANTEEN', 30, ['ELDERLY'], '2026-05-20');
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 50, [], '2026-05-20');
  await addServiceDemand(app, w.otherCommunityId, 'CIV-CHILD', 12, ['CHILDREN'], '2026-05-21');
});
afterEach(() => app.clock.reset());
afterAll(async () => app?.close());

const SUGGEST = `query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) {
  selected { ...S } rejected(first: 50) { ...S } } }
  fragment S on ProjectSuggestion { suggestionId label benefit benefitFormula netCost template { code } community { id } }`;
const ACCEPT = `mutation($input: AcceptSuggestionInput!) { acceptSuggestion(input: $input) { suggestion } }`;
const shownAt = async (instant: string) => {
  app.clock.set(new Date(instant));
  const answer = (await ok(app, SUGGEST, { input: { budget: 1000000, areaId: w.districtId, lastDays: 30 } })).projectSuggestions;
  return [...answer.selected, ...answer.rejected];
};
const reencode = (id: string, edit: (payload: any) => void) => {
  const payload = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  edit(payload);
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
};

test('an accepted suggestion keeps the numbers that were shown, accepted five minutes later or the next morning', async () => {
  const shown = await shownAt('2026-06-30T02:00:00Z'); // 10:00 China time, over 06-01…06-30
  const byLabel = new Map(shown.map((s: any) => [s.label, s]));
  const mismatches: string[] = [];
  const accept = async (label: string) => {
    const s = byLabel.get(label);
    const kept = (await ok(app, ACCEPT, { input: { suggestionId: s.suggestionId } })).acceptSuggestion.suggestion;
    if (kept.suggestion.benefitFormula !== s.benefitFormula) mismatches.push(`${label} shown ${s.benefitFormula} | kept ${kept.suggestion.benefitFormula} (period ${kept.period.from}…${kept.period.to})`);
    return kept;
  };
  app.clock.set(new Date('2026-06-30T02:05:00Z')); // 10:05
  await accept('四点半课堂 · 幸福里社区');
  app.clock.set(new Date('2026-07-01T01:00:00Z')); // 09:00 next morning
  const kept = await accept('长者食堂 · 和平里社区');
  expect(mismatches).toEqual([]);
  // The snapshot says when and over which days the numbers were computed, and the query as asked.
  expect(kept.period).toEqual({ from: '2026-06-01', to: '2026-06-30' });
  expect(kept.computedAt).toBe('2026-06-30T02:00:00.000Z');
  expect(kept.query).toMatchObject({ lastDays: 30 });
});

test('records imported after the suggestions were shown change the numbers: CONFLICT, nothing written; shown again, it is accepted with the new numbers', async () => {
  const lightsOf = (list: any[]) => list.find((s: any) => s.template.code === 'STREET-LIGHTS' && s.community.id === w.communityId);
  const before = lightsOf(await shownAt('2026-06-30T03:00:00Z'));
  await addServiceDemand(app, w.communityId, 'HOUSING-LIGHTS', 20, [], '2026-06-25');
  app.clock.set(new Date('2026-06-30T03:10:00Z'));
  const refused = await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: before.suggestionId } }));
  expectError(refused, 'CONFLICT', 'input.suggestionId');
  expect(refused.errors![0].message).toContain('its numbers have changed since it was computed');
  const again = lightsOf(await shownAt('2026-06-30T03:15:00Z'));
  expect(again.benefit).not.toBe(before.benefit);
  const kept = (await ok(app, ACCEPT, { input: { suggestionId: again.suggestionId } })).acceptSuggestion.suggestion;
  expect(kept.suggestion.benefitFormula).toBe(again.benefitFormula);
});

test('an ID from before IDs recorded their period and instant, or one whose period or instant was edited, is refused (BAD_USER_INPUT), nothing written', async () => {
  const canteen = (await shownAt('2026-06-30T04:00:00Z')).find((s: any) => s.template.code === 'ELDERLY-CANTEEN' && s.community.id === w.communityId);
  const old = reencode(canteen.suggestionId, (p) => { p.v = 1; delete p.n; delete p.p; delete p.f; });
  const refused = await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId: old } }));
  expectError(refused, 'BAD_USER_INPUT', 'input.suggestionId');
  expect(refused.errors![0].message).toContain('run projectSuggestions again');
  const forged = [
    reencode(canteen.suggestionId, (p) => { p.p = ['2026-05-31', '2026-06-29']; }), // not the 30 days up to its instant
    reencode(canteen.suggestionId, (p) => { p.n = '2026-07-30T04:00:00.000Z'; p.p = ['2026-07-01', '2026-07-30']; }), // computed in the future
    reencode(canteen.suggestionId, (p) => { p.n = 'yesterday'; }),
    reencode(canteen.suggestionId, (p) => { delete p.f; }),
  ];
  for (const suggestionId of forged) expectError(await expectNothingWritten(app, () => app.execute(ACCEPT, { input: { suggestionId } })), 'BAD_USER_INPUT', 'input.suggestionId');
});

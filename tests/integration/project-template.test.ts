import { expectNothingWritten } from '../helpers/closed-loop-fixtures';
import { expectError, expectRacedDuplicatesAnswerAsSequential, ok, walkPages } from '../helpers/fixtures';
import { templateId } from '../helpers/project-fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* The project template catalogue: the seeded templates, and create / update / retire with their rules. */

let app: TestApp;

const FIELDS = `id code name description kind cost costCap categoryCodes categories { code name } targetGroups
  resourceNeeds { kind quantity unitValue note } expectedReduction beneficiaryRule beneficiaryFactor active version`;
const CREATE = `mutation($input: CreateProjectTemplateInput!) { createProjectTemplate(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateProjectTemplateInput!) { updateProjectTemplate(id: $id, input: $input) { ${FIELDS} } }`;
const RETIRE = `mutation($id: ID!) { retireProjectTemplate(id: $id) { ${FIELDS} } }`;
const LIST = `query($filter: ProjectTemplateFilter, $first: Int, $after: String) {
  projectTemplates(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id code name } } pageInfo { hasNextPage endCursor } }
}`;

const VALID = {
  code: 'COMMUNITY-LIBRARY',
  name: '社区书屋',
  description: '社区图书角与亲子阅读',
  kind: 'GOODS',
  cost: 80_000,
  categoryCodes: ['CIV-CHILD', 'JOB'],
  targetGroups: ['CHILDREN', 'YOUTH', 'CHILDREN'],
  resourceNeeds: [{ kind: 'GOODS', quantity: 2000, unitValue: 20, note: '图书' }, { kind: 'VENUE', quantity: 40, unitValue: 900 }],
  expectedReduction: 0.25,
};

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('the seeded catalogue', () => {
  test('18 templates, every one within its cap and with needs within its cost', async () => {
    const { ids } = await walkPages(app, LIST, 'projectTemplates', 7);
    expect(ids).toHaveLength(18);
    const all = (await ok(app, `{ projectTemplates(first: 100) { edges { node { ${FIELDS} } } } }`)).projectTemplates.edges.map((e: any) => e.node);
    for (const t of all) {
      expect(t.cost).toBeLessThanOrEqual(t.costCap);
      expect(t.resourceNeeds.reduce((sum: number, n: any) => sum + n.quantity * n.unitValue, 0)).toBeLessThanOrEqual(t.cost);
      expect(t.categories).toHaveLength(t.categoryCodes.length);
    }
    expect(all.find((t: any) => t.code === 'ELDERLY-CANTEEN')).toMatchObject({ name: '长者食堂', kind: 'SERVICE', cost: 420_000, costCap: 500_000, targetGroups: ['ELDERLY'], categories: [{ code: 'CARE-CANTEEN', name: '老年助餐' }] });
    expect(all.find((t: any) => t.code === 'DRAINAGE-REPAIR')).toMatchObject({ name: '下水道改造', kind: 'WORKS', costCap: 1_000_000, expectedReduction: 0.7 });
    expect(all.map((t: any) => t.name)).toEqual(expect.arrayContaining(['日间照料室', '路灯照明改造', '停车位改造', '四点半课堂', '健康义诊', '无障碍坡道改造', '物业纠纷调解']));
  });

  test('filters: target group, kind, search', async () => {
    const children = (await ok(app, LIST, { filter: { targetGroup: 'CHILDREN' } })).projectTemplates;
    expect(children.edges.map((e: any) => e.node.code).sort()).toEqual(['AFTER-SCHOOL', 'WOMEN-HEALTH']);
    const works = (await ok(app, LIST, { filter: { kinds: ['WORKS'] } })).projectTemplates;
    expect(works.totalCount).toBe(7);
    const search = (await ok(app, LIST, { filter: { search: '食堂' } })).projectTemplates;
    expect(search.edges.map((e: any) => e.node.code)).toEqual(['ELDERLY-CANTEEN']);
  });
});

describe('create, update, retire', () => {
  let id: string;

  test.each([
    ['a SERVICE cost above 500,000', { kind: 'SERVICE', cost: 600_000 }, 'input.cost'],
    ['a WORKS cost above 1,000,000', { kind: 'WORKS', cost: 1_200_000 }, 'input.cost'],
    ['no cost', { cost: 0 }, 'input.cost'],
    ['a cost in part of a fen', { cost: 80_000.001 }, 'input.cost'],
    ['an unknown category code', { categoryCodes: ['CIV-CHILD', 'NO-SUCH'] }, 'input.categoryCodes.1'],
    ['no categories', { categoryCodes: [] }, 'input.categoryCodes'],
    ['no target group', { targetGroups: [] }, 'input.targetGroups'],
    ['needs worth more than the cost', { resourceNeeds: [{ kind: 'VENUE', quantity: 100, unitValue: 900 }] }, 'input.resourceNeeds'],
    ['MONEY at another rate than 1', { resourceNeeds: [{ kind: 'MONEY', quantity: 100, unitValue: 2 }] }, 'input.resourceNeeds.0.unitValue'],
    ['a need kind twice', { resourceNeeds: [{ kind: 'GOODS', quantity: 1, unitValue: 1 }, { kind: 'GOODS', quantity: 2, unitValue: 1 }] }, 'input.resourceNeeds.1.kind'],
    ['a zero quantity', { resourceNeeds: [{ kind: 'GOODS', quantity: 0, unitValue: 1 }] }, 'input.resourceNeeds.0.quantity'],
    ['ρ above 1', { expectedReduction: 1.2 }, 'input.expectedReduction'],
    ['a code with spaces', { code: 'BAD CODE' }, 'input.code'],
  ])('refuses %s, writing nothing', async (_name, change, field) => {
    const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { ...VALID, ...change } }));
    expectError(result, 'BAD_USER_INPUT', field);
  });

  test('creates a valid template with defaults; a duplicate code is a CONFLICT', async () => {
    const template = (await ok(app, CREATE, { input: VALID })).createProjectTemplate;
    id = template.id;
    expect(template).toMatchObject({
      code: 'COMMUNITY-LIBRARY', kind: 'GOODS', cost: 80_000, costCap: 500_000, targetGroups: ['CHILDREN', 'YOUTH'], expectedReduction: 0.25,
      beneficiaryRule: 'PER_ADDRESSED_CASE', beneficiaryFactor: 1, active: true, version: 1,
      categories: [{ code: 'CIV-CHILD', name: '儿童关爱' }, { code: 'JOB', name: '就业创业' }],
      resourceNeeds: [{ kind: 'GOODS', quantity: 2000, unitValue: 20, note: '图书' }, { kind: 'VENUE', quantity: 40, unitValue: 900, note: null }],
    });
    const duplicate = await expectNothingWritten(app, () => app.execute(CREATE, { input: VALID }));
    expectError(duplicate, 'CONFLICT', 'input.code');
  });

  test('an update is checked with the fields it leaves alone', async () => {
    const upgraded = (await ok(app, UPDATE, { id, input: { kind: 'WORKS', cost: 700_000, name: '社区书屋改建' } })).updateProjectTemplate;
    expect(upgraded).toMatchObject({ kind: 'WORKS', cost: 700_000, costCap: 1_000_000, name: '社区书屋改建', version: 2 });
    // Back to GOODS at 700,000 would break the 500,000 cap: the kind is named.
    const kindBack = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { kind: 'GOODS' } }), [{ table: 'project_template', id }]);
    expectError(kindBack, 'BAD_USER_INPUT', 'input.kind');
    // The needs (76,000 yuan) no longer fit a 50,000 cost: the cost is named.
    const cheaper = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { cost: 50_000 } }), [{ table: 'project_template', id }]);
    expectError(cheaper, 'BAD_USER_INPUT', 'input.cost');
    const subFen = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { cost: 700_000.005 } }), [{ table: 'project_template', id }]);
    expectError(subFen, 'BAD_USER_INPUT', 'input.cost');
    // null for a field that cannot be cleared is refused, not taken as "unchanged"; description may be cleared.
    for (const field of ['name', 'kind', 'cost', 'categoryCodes', 'targetGroups', 'resourceNeeds', 'expectedReduction', 'beneficiaryRule', 'beneficiaryFactor', 'active']) {
      const cleared = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { [field]: null } }), [{ table: 'project_template', id }]);
      expectError(cleared, 'BAD_USER_INPUT', `input.${field}`);
    }
    const retired = await app.execute(UPDATE, { id, input: { categoryCodes: ['GRID-FIRE', 'NOPE'] } });
    expectError(retired, 'BAD_USER_INPUT', 'input.categoryCodes.1');
  });

  test('retiring takes it out of suggestions (naming it there is refused) and back in with active: true', async () => {
    expect((await ok(app, RETIRE, { id })).retireProjectTemplate).toMatchObject({ active: false });
    expect((await ok(app, LIST, { filter: { active: false } })).projectTemplates.edges.map((e: any) => e.node.id)).toEqual([id]);
    const suggest = await app.execute(`query($input: ProjectSuggestionsInput!) { projectSuggestions(input: $input) { totals { projects } } }`, {
      input: { budget: 100_000, lastDays: 30, allowedTemplateIds: [await templateId(app, 'AFTER-SCHOOL'), id] },
    });
    expectError(suggest, 'BAD_USER_INPUT', 'input.allowedTemplateIds.1');
    expect((await ok(app, UPDATE, { id, input: { active: true } })).updateProjectTemplate.active).toBe(true);
  });

  test('an unknown template ID is NOT_FOUND; a unit ID is BAD_USER_INPUT', async () => {
    expectError(await app.execute(RETIRE, { id: 'UHJvamVjdFRlbXBsYXRlOjk5OTk5' }), 'NOT_FOUND', 'id');
    expectError(await app.execute(RETIRE, { id: 'VW5pdDox' }), 'BAD_USER_INPUT', 'id');
  });
});

test('six identical templates at once: one is created, the others read the sequential CONFLICT (3 rounds)', async () => {
  for (const code of ['RACE-TEMPLATE-A', 'RACE-TEMPLATE-B', 'RACE-TEMPLATE-C']) {
    await expectRacedDuplicatesAnswerAsSequential(app, CREATE, { input: { ...VALID, code } }, 'CONFLICT', 'input.code');
  }
});

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/config/paths';
import { generateServiceRecords } from '../../src/modules/service-data/generator';
import { importServiceFile } from '../../src/modules/service-data/import';
import { loadMapping } from '../../src/modules/service-data/mapping';
import { seedDemoCity } from '../../src/seed/demo-city';
import { ok } from '../helpers/fixtures';
import { projectsSection } from '../helpers/readme';
import { createTestApp, type TestApp } from '../helpers/test-app';

/*
 * Every ```graphql block of the README's projects section runs, in order, on what the README
 * leaves before it: the small demo city, generated one-window records (the newcomer's path, here
 * 60,000 instead of 1,000,000) and the lists walkthrough's 纺织新村 list with its 20 h of doctors.
 * (The README test runs every other block; this section needs one-window records.)
 */
const section = projectsSection(fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8'));
const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
const results = new Map<string, any>();

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await app.orm.em.fork().transactional((em) => seedDemoCity(em, { scale: 'small' }));
  const db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  try {
    const csv = [...generateServiceRecords({ records: 60_000 })].join('');
    await importServiceFile({ db, input: Readable.from([Buffer.from(csv)]), fileName: 'docs.csv', mapping: loadMapping(path.join(PROJECT_ROOT, 'mappings', 'gongjian.json')) });
  } finally {
    await db.end();
  }
  await ok(app, `mutation { createProblemList(input: { communityId: "Q29tbXVuaXR5OjU", period: "2026-Q4" }) { id } }`);
  await ok(app, `mutation { addListItem(input: { listId: "UHJvYmxlbUxpc3Q6MQ", kind: RESOURCE, title: "家庭医生义诊工时", unitId: "VW5pdDo0NA", resourceType: STAFF_HOURS, quantity: 20, value: 3000, categoryId: "UmVxdWVzdENhdGVnb3J5OjI2" }) { id } }`);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

test('the section has its examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(10);
});

test.each(blocks.map((block) => [/(?:query|mutation) (\w+)/.exec(block)?.[1] ?? '?', block]))('example %s works as written', async (name, block) => {
  const result = await app.execute(block);
  const expectedCode = /# expect: (\w+)/.exec(block)?.[1];
  if (expectedCode) {
    expect(result.errors?.[0].extensions?.code).toBe(expectedCode);
    return;
  }
  expect(result.errors).toBeUndefined();
  results.set(name, result.data);
});

test('the examples leave what the draft says', () => {
  const suggestion = results.get('SuggestProjects').projectSuggestions;
  expect(suggestion.totals.spent).toBeLessThanOrEqual(3_000_000);
  expect(suggestion.totals.projects).toBeGreaterThan(5);
  expect(suggestion.selected.some((s: any) => s.matchedResources.length > 0)).toBe(true);
  expect(suggestion.solver).toMatchObject({ provenOptimal: true, costUnit: 1000 });
  const project = results.get('AcceptSuggestion').acceptSuggestion;
  expect(project).toMatchObject({ id: 'TGl2ZWxpaG9vZFByb2plY3Q6MQ', status: 'PROPOSED', budget: 280_000, community: { name: '纺织新村社区' }, template: { code: 'STREET-LIGHTS' } });
  expect(project.fundingSources.reduce((sum: number, f: any) => sum + f.amount, 0)).toBe(280_000);
  const ledger = results.get('ProjectLedger');
  expect(ledger.project.status).toBe('ACCEPTED');
  expect(ledger.project.events.edges.map((e: any) => e.node.kind)).toEqual(['PROPOSED', 'APPROVED', 'STARTED', 'PROGRESS', 'ACCEPTED']);
  expect(ledger.livelihoodProjects.totalCount).toBe(1);
});

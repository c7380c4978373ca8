import { RequestCategory } from '../../src/modules/category/category.entity';
import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

const CLASSIFY = `query Classify($text: String!) {
  classifyRequestText(text: $text) {
    categoryCode confidence keywords
    category { code name parent { code } }
    alternatives { categoryCode confidence category { code name } }
  }
}`;

test('a resident message gets its category (as a catalogue object), alternatives and keywords', async () => {
  const result = await app.execute(CLASSIFY, { text: '我家楼下的下水道堵塞了好几天，污水从井盖里冒出来，臭气熏天' });
  expect(result.errors).toBeUndefined();
  const answer = result.data.classifyRequestText;
  expect(answer.categoryCode).toBe('HOUSING-DRAINAGE');
  expect(answer.category).toEqual({ code: 'HOUSING-DRAINAGE', name: '排水管网', parent: { code: 'HOUSING' } });
  expect(answer.confidence).toBeGreaterThan(0.3);
  expect(answer.alternatives).toHaveLength(3);
  for (const alternative of answer.alternatives) {
    expect(alternative.confidence).toBeLessThanOrEqual(answer.confidence);
    expect(alternative.category.code).toBe(alternative.categoryCode);
  }
  expect(answer.keywords).toContain('下水道');
});

test('personal data never comes back in the keywords', async () => {
  const text = '我叫张伟，电话13812345678，身份证370102198001011237，住3号楼2单元501室，楼道里堆满杂物，还有人飞线充电';
  const answer = (await app.execute(CLASSIFY, { text })).data.classifyRequestText;
  const joined = answer.keywords.join(' ');
  for (const secret of ['张伟', '张', '伟', '13812345678', '370102198001011237', '501', '单元', '号楼']) expect(joined).not.toContain(secret);
  expect(answer.keywords).toContain('飞线充电');
  expect(answer.categoryCode).toBe('GRID-FIRE');
});

test('only active second-level categories are suggested', async () => {
  const em = app.orm.em.fork();
  const drainage = await em.findOneOrFail(RequestCategory, { code: 'HOUSING-DRAINAGE' });
  drainage.active = false;
  await em.flush();
  try {
    const answer = (await app.execute(CLASSIFY, { text: '下水道堵塞，污水从井盖里冒出来' })).data.classifyRequestText;
    expect(answer.categoryCode).not.toBe('HOUSING-DRAINAGE');
    expect(answer.alternatives.map((a: any) => a.categoryCode)).not.toContain('HOUSING-DRAINAGE');
  } finally {
    drainage.active = true;
    await em.flush();
  }
});

test.each([
  ['', 'text'],
  ['   ', 'text'],
  ['路'.repeat(5001), 'text'],
])('bad text is refused naming the field (%#)', async (text, field) => {
  const result = await app.execute(CLASSIFY, { text });
  expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(result.errors?.[0].extensions?.field).toBe(field);
});

test('the four suggested categories are loaded in one batched statement', async () => {
  const statements = await app.countStatements(() => app.execute(CLASSIFY, { text: '小区路灯坏了好几盏，晚上很黑' }));
  // The active catalogue's codes, the four suggestions by code (batched), the suggestion's parent.
  expect(statements.filter((sql) => /from "request_category"/.test(sql))).toHaveLength(3);
  expect(statements.filter((sql) => /"code" in/.test(sql))).toHaveLength(1);
});

import { maskFreeText, maskFreeTextSql } from '../../src/common/privacy';
import type { Viewer } from '../../src/context/context';
import { Role } from '../../src/modules/identity/role';
import { accountViewer } from '../helpers/access-fixtures';
import { categoryId } from '../helpers/closed-loop-fixtures';
import { buildWorld, ok, type World } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';

/* Personal data residents write into free text: masked for viewers who may not see personal data, and not searchable by them. */

let app: TestApp;
let w: World;
let requestId: string;
const BODY = '王阿姨家下水道堵了，电话13812345678，身份证370102199001011237，座机0531-88776655';
const MASKED_BODY = '王阿姨家下水道堵了，电话138****5678，身份证370***********1237，座机0531-****6655';

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  const drainage = await categoryId(app, 'HOUSING-DRAINAGE');
  const created = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '下水道堵塞 回电13812345678', body: BODY, channel: 'HOTLINE_12345', categoryId: drainage, areaId: w.gridId },
  });
  requestId = created.createRequest.id;
  await ok(app, `mutation($id: ID!) { commentOnRequest(id: $id, input: { text: "已联系居民，另一号码13900001111" }) { id } }`, { id: requestId });
});
afterAll(async () => {
  await app?.close();
});

const READ = `query($id: ID!) { node(id: $id) { ... on Request { title body events { edges { node { note } } } } } }`;
const SEARCH = `query($search: String!) { requests(filter: { search: $search }) { totalCount } }`;

const analyst = () => accountViewer(Role.ANALYST, null);
const staff = () => accountViewer(Role.COMMUNITY_STAFF, null);

async function read(viewer: Viewer) {
  const result = await app.execute(READ, { id: requestId }, viewer);
  expect(result.errors).toBeUndefined();
  return result.data.node;
}

async function found(viewer: Viewer, search: string): Promise<number> {
  const result = await app.execute(SEARCH, { search }, viewer);
  expect(result.errors).toBeUndefined();
  return result.data.requests.totalCount;
}

test('an analyst reads the request body, title and ledger notes with phone and ID numbers masked', async () => {
  const node = await read(analyst());
  expect(node.body).toBe(MASKED_BODY);
  expect(node.title).toBe('下水道堵塞 回电138****5678');
  const said = JSON.stringify(node);
  for (const secret of ['13812345678', '370102199001011237', '88776655', '13900001111', '19900101']) expect(said).not.toContain(secret);
  expect(node.events.edges.map((edge: any) => edge.node.note)).toContain('已联系居民，另一号码139****1111');
});

test('staff working the case read it as written', async () => {
  const node = await read(staff());
  expect(node.body).toBe(BODY);
  expect(node.events.edges.map((edge: any) => edge.node.note)).toContain('已联系居民，另一号码13900001111');
});

test('an analyst cannot find a request by the phone or ID number inside its text, nor by its middle digits', async () => {
  for (const probe of ['13812345678', '1381234', '12345678', '1234', '370102199001011237', '19900101', '88776655']) {
    expect({ probe, found: await found(analyst(), probe) }).toEqual({ probe, found: 0 });
  }
  // What the analyst is shown still matches, and so do ordinary words.
  expect(await found(analyst(), '下水道堵了')).toBe(1);
  expect(await found(analyst(), '138****5678')).toBe(1);
});

test('staff still find a request by the phone number a resident wrote', async () => {
  expect(await found(staff(), '13812345678')).toBe(1);
});

test('the SQL masking behind the search masks exactly as maskFreeText does', async () => {
  const samples = [
    BODY,
    '手机 +86 138-1234-5678，备用１３９１２３４５６７８',
    '身份证号37010219900101123X，卡号6222021234567890123',
    '座机88776655，邮箱 zhang.wei@example.com',
    '3号楼2单元501室的路灯坏了3天，2024年修过一次，花了1200元',
  ];
  const { sql, bindings } = maskFreeTextSql('?::text');
  for (const sample of samples) {
    const [row] = await app.orm.em.fork().execute(`select ${sql} as masked`, [sample, ...bindings]);
    expect(row.masked).toBe(maskFreeText(sample));
  }
});

import { createTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

test('smoke: create a district and list it', async () => {
  const created = await app.execute(`mutation { createDistrict(input: { name: "示范区", code: "370199" }) { id name code level } }`);
  expect(created.errors).toBeUndefined();
  const list = await app.execute(`{ districts { totalCount edges { node { id name } } } }`);
  expect(list.data.districts.totalCount).toBe(1);
});

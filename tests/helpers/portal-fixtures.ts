import type { Viewer } from '../../src/context/context';
import { ok } from './fixtures';
import type { TestApp } from './test-app';

/**
 * `count` repair-like requests in `areaId` on `day` (10:00, 10:01, … China time), created through
 * the API with the app's clock moved to each: the small cells the portal count rules are tested on.
 */
export async function createRequestsOnDay(app: TestApp, categoryId: string, areaId: string, day: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    app.clock.set(new Date(`${day}T02:${String(i).padStart(2, '0')}:00Z`));
    const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
      input: { title: `漏水${i}`, body: '家中漏水，请维修', channel: 'HOTLINE_12345', categoryId, areaId },
    });
    ids.push(data.createRequest.id);
  }
  return ids;
}

/** One step of a request (dispatch, take, resolve, close out …) through the API. */
export async function requestStep(app: TestApp, mutation: string, type: string, id: string, input: Record<string, unknown>): Promise<void> {
  await ok(app, `mutation($id: ID!, $input: ${type}) { ${mutation}(id: $id, input: $input) { id } }`, { id, input });
}

/** The answer's data as `viewer` reads it (staff when none), failing the test on any error. */
export async function readAs(app: TestApp, query: string, variables: Record<string, unknown>, viewer?: Viewer): Promise<any> {
  const result = await app.execute(query, variables, viewer);
  expect(result.errors).toBeUndefined();
  return result.data;
}

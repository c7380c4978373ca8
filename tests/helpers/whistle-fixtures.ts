import { toGlobalId } from '../../src/common/global-id';
import { buildTree, buildUnits, ok, type Tree, type Units } from './fixtures';
import { createTestApp, type TestApp } from './test-app';

const HOUR = 3600_000;
/** A China-time moment (`2025-03-01T09:00:00`). */
export const at = (local: string) => new Date(`${local}+08:00`);
export const after = (start: Date, hours: number) => new Date(start.getTime() + hours * HOUR);

/** The whistle tests' world: a tree, its units, the GRID-SANITATION category, the clock at 2025-03-01 09:00 China time. */
export async function whistleWorld(): Promise<{ app: TestApp; tree: Tree; units: Units; categoryId: string }> {
  const app = await createTestApp();
  app.clock.set(at('2025-03-01T09:00:00'));
  const tree = await buildTree(app);
  const units = await buildUnits(app, tree);
  return { app, tree, units, categoryId: (await gridSanitation(app)).categoryId };
}

/** The GRID-SANITATION request category (楼道堆物 and the like): its global ID and the hours a community has for it. */
export async function gridSanitation(app: TestApp): Promise<{ categoryId: string; hours: number }> {
  const [category] = await app.orm.em.fork().execute<{ id: number; community_hours: number }[]>(`select id, community_hours from request_category where code = 'GRID-SANITATION'`);
  return { categoryId: toGlobalId('RequestCategory', category.id), hours: category.community_hours };
}

/** A request in the tree's grid (楼道堆物), created at the app's clock. */
export async function createGridRequest(app: TestApp, tree: Tree, categoryId: string): Promise<string> {
  const data = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`, {
    input: { title: '楼道堆物', body: '楼道堆放杂物，影响通行。', channel: 'GRID_PATROL', categoryId, areaId: tree.gridId },
  });
  return data.createRequest.id;
}

/** A whistle on the request calling the units in order: its id and its departments' (recipients') ids. */
export async function blowWhistleOn(
  app: TestApp,
  input: { requestId: string; blownById: string; unitIds: string[]; reportHours: number; feedbackHours: number },
): Promise<{ whistle: string; recipients: string[] }> {
  const data = await ok(app, `mutation($input: BlowWhistleInput!) { blowWhistle(input: $input) { id recipients { edges { node { id } } } } }`, {
    input: { ...input, letter: '联合处置函' },
  });
  return { whistle: data.blowWhistle.id, recipients: data.blowWhistle.recipients.edges.map((edge: any) => edge.node.id) };
}

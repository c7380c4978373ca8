import { fromGlobalId } from '../../src/common/global-id';
import { createPartyOrganization, createPerson, ok, rowCounts, type World } from './fixtures';
import type { TestApp } from './test-app';

/** The write checks live in fixtures.ts and watch every table. */
export { expectNothingWritten, rawRow, rowCounts, type Table } from './fixtures';

/*
 * Builders and checks for the members, reporting and points modules (service posts, points
 * ledger, activities, assessments). Like fixtures.ts they go through the API; only the
 * assessment fixture writes other modules' rows (requests, whistles, claims) directly.
 */

/** Sum of a person's point entries straight from the table. */
export async function ledgerSum(app: TestApp, personId: string): Promise<number> {
  const rows: { total: number }[] = await app.orm.em.fork().execute('select coalesce(sum(amount), 0)::int as total from point_entry where person_id = ?', [fromGlobalId(personId)!.id]);
  return rows[0].total;
}

export async function snapshotCounts(app: TestApp) {
  return { ...(await rowCounts(app)), ...(await rowCounts(app)) };
}

// ---------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------

export interface Organizations {
  /** 幸福里第一网格党支部 (BRANCH on the grid of communityId) */
  gridBranchId: string;
  /** 幸福里1号楼党小组 (GROUP on the building) */
  buildingGroupId: string;
  /** 幸福里社区党委 (COMMITTEE on the community) */
  committeeId: string;
  /** 和平里第一网格党支部 (BRANCH in the other community) */
  otherBranchId: string;
}

/** The party organisations a reporting member may (or may not) be placed in. */
export async function buildOrganizations(app: TestApp, w: World): Promise<Organizations> {
  const committeeId = await createPartyOrganization(app, { name: '幸福里社区党委', kind: 'COMMITTEE', areaId: w.communityId });
  const gridBranchId = await createPartyOrganization(app, { name: '幸福里第一网格党支部', kind: 'BRANCH', areaId: w.gridId, parentId: committeeId });
  const buildingGroupId = await createPartyOrganization(app, { name: '幸福里1号楼党小组', kind: 'GROUP', areaId: w.buildingId, parentId: gridBranchId });
  const otherBranchId = await createPartyOrganization(app, { name: '和平里第一网格党支部', kind: 'BRANCH', areaId: w.otherGridId });
  return { gridBranchId, buildingGroupId, committeeId, otherBranchId };
}

export async function createServicePost(app: TestApp, input: { communityId: string; title?: string; capacity?: number; description?: string; categoryId?: string }): Promise<string> {
  const data = await ok(app, `mutation($input: CreateServicePostInput!) { createServicePost(input: $input) { id } }`, {
    input: { title: '楼栋长', capacity: 5, ...input },
  });
  return data.createServicePost.id;
}

/** An in-service party member employed by `employerUnitId`, living in `communityId`, not yet reported. */
export async function createMember(app: TestApp, input: { name: string; communityId: string; employerUnitId: string; partyStatus?: 'IN_SERVICE' | 'RETIRED' | 'MOBILE' | null }): Promise<string> {
  const partyStatus = input.partyStatus === undefined ? 'IN_SERVICE' : input.partyStatus;
  return createPerson(app, {
    name: input.name,
    partyStatus,
    joinedPartyOn: partyStatus ? '2010-07-01' : null,
    employerUnitId: input.employerUnitId,
    residenceCommunityId: input.communityId,
  });
}

export const REPORT = `mutation($input: ReportMemberInput!) {
  reportMember(input: $input) { id reportedOn organization { id name } postClaims { totalCount edges { node { id status claimedOn post { id title } } } } }
}`;

export async function reportMember(app: TestApp, input: { personId: string; communityId: string; organizationId: string; postId: string; reportedOn?: string }): Promise<any> {
  return (await ok(app, REPORT, { input })).reportMember;
}

export async function createActivity(
  app: TestApp,
  input: { communityId: string; title?: string; kind?: string; startsAt: string; endsAt: string; capacity?: number | null; organizerId?: string },
): Promise<string> {
  const data = await ok(app, `mutation($input: CreateActivityInput!) { createActivity(input: $input) { id } }`, {
    input: { title: '主题党日活动', kind: 'THEME_PARTY_DAY', ...input },
  });
  return data.createActivity.id;
}

export async function signUp(app: TestApp, activityId: string, personId: string): Promise<string> {
  const data = await ok(app, `mutation($input: SignUpForActivityInput!) { signUpForActivity(input: $input) { id } }`, { input: { activityId, personId } });
  return data.signUpForActivity.id;
}

export async function recordAttendance(app: TestApp, participationId: string): Promise<any> {
  return (await ok(app, `mutation($id: ID!) { recordAttendance(participationId: $id) { id attendedAt } }`, { id: participationId })).recordAttendance;
}

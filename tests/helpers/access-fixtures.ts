import { buildSchema, type GraphQLArgument, type GraphQLInputType, type GraphQLSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toGlobalId } from '../../src/common/global-id';
import type { Viewer } from '../../src/context/context';
import { Role } from '../../src/modules/identity/role';
import { categoryId, createPairing } from './closed-loop-fixtures';
import { createPerson, dbId, ok } from './fixtures';
import { createActivity, createServicePost, signUp } from './member-fixtures';
import type { TestApp } from './test-app';

/** The committed schema, for tests that walk every root field. */
export function committedSchema(): GraphQLSchema {
  return buildSchema(readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));
}

/** The materialised path of an area, straight from the table. */
export async function areaPath(app: TestApp, areaId: string): Promise<string> {
  const rows: { path: string }[] = await app.orm.em.fork().execute('select path from area where id = ?', [dbId(areaId)]);
  return rows[0].path;
}

let accountSeq = 1000;
/** A viewer as the server would build it from a token (ids need not exist for scope checks). */
export function accountViewer(role: Role, scopePaths: string[] | null, extra: { personId?: number; unitId?: number } = {}): Viewer {
  accountSeq += 1;
  return { kind: 'account', accountId: accountSeq, username: `test.${role.toLowerCase()}.${accountSeq}`, role, scopePaths, unitId: extra.unitId ?? null, personId: extra.personId ?? null };
}

export function portalViewer(scopePaths: string[] | null = null): Viewer {
  accountSeq += 1;
  return { kind: 'portal', apiKeyId: accountSeq, prefix: `gjk_test${accountSeq}`, role: Role.PORTAL, scopePaths };
}

/** One record of every scoped kind, inside one community. */
export interface CommunityRecords {
  communityId: string;
  personId: string;
  requestId: string;
  requestEventId: string;
  whistleId: string;
  whistleRecipientId: string;
  problemListId: string;
  listItemId: string;
  claimId: string;
  microWishId: string;
  servicePostId: string;
  unitRegistrationId: string;
  activityId: string;
  participationId: string;
  gridAssignmentId: string;
}

/**
 * Creates one of each record kind in a community (as the unbound administrator), so a scope
 * test can show each one visible inside the community and invisible outside it.
 */
export async function populateCommunity(app: TestApp, communityId: string, gridId: string, unitId: string, tag: string): Promise<CommunityRecords> {
  const personId = await createPerson(app, { name: `${tag}居民`, phone: '13800001111', partyStatus: 'RETIRED', joinedPartyOn: '1990-07-01', residenceCommunityId: communityId });
  // Reported to the community (for reportedMembers): only reportMember sets it through the API, and it needs a post and a branch.
  await app.orm.em.fork().execute('update person set reported_on = ? where id = ?', ['2026-01-05', dbId(personId)]);
  const category = await categoryId(app, 'HOUSING-REPAIR');
  const request = await ok(app, `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id events(first: 1) { edges { node { id } } } } }`, {
    input: { title: `${tag}楼道堆物`, body: '楼道堆放杂物', channel: 'COUNTER', categoryId: category, areaId: gridId, residentName: `${tag}张三`, residentPhone: '13912345678' },
  });
  const requestId: string = request.createRequest.id;
  const whistle = await ok(app, `mutation($input: BlowWhistleInput!) { blowWhistle(input: $input) { id recipients { edges { node { id } } } } }`, {
    input: { blownById: communityId, requestId, letter: `${tag}请城管报到`, unitIds: [unitId] },
  });
  const problemList = await ok(app, `mutation($input: CreateProblemListInput!) { createProblemList(input: $input) { id } }`, { input: { communityId, period: '2026-Q3' } });
  const problemListId: string = problemList.createProblemList.id;
  const item = await ok(app, `mutation($input: AddListItemInput!) { addListItem(input: $input) { id } }`, { input: { listId: problemListId, kind: 'DEMAND', title: `${tag}需求` } });
  const listItemId: string = item.addListItem.id;
  // The unit serves the community (paired with it), as its claim requires.
  await createPairing(app, unitId, communityId);
  const claim = await ok(app, `mutation($input: ClaimListItemInput!) { claimListItem(input: $input) { id } }`, { input: { itemId: listItemId, unitId } });
  const wish = await ok(app, `mutation($input: PublishMicroWishInput!) { publishMicroWish(input: $input) { id } }`, { input: { communityId, title: `${tag}微心愿`, residentName: `${tag}李四` } });
  const servicePostId = await createServicePost(app, { communityId, title: `${tag}楼栋长` });
  const registration = await ok(app, `mutation($input: RegisterUnitInput!) { registerUnitWithCommunity(input: $input) { id } }`, { input: { unitId, communityId } });
  const activityId = await createActivity(app, { communityId, title: `${tag}主题党日`, startsAt: '2030-07-01T09:00:00+08:00', endsAt: '2030-07-01T11:00:00+08:00' });
  const participationId = await signUp(app, activityId, personId);
  const assignment = await ok(app, `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { id } }`, { input: { gridId, personId, role: 'FULL_TIME' } });
  return {
    communityId,
    personId,
    requestId,
    requestEventId: request.createRequest.events.edges[0].node.id,
    whistleId: whistle.blowWhistle.id,
    whistleRecipientId: whistle.blowWhistle.recipients.edges[0].node.id,
    problemListId,
    listItemId,
    claimId: claim.claimListItem.id,
    microWishId: wish.publishMicroWish.id,
    servicePostId,
    unitRegistrationId: registration.registerUnitWithCommunity.id,
    activityId,
    participationId,
    gridAssignmentId: assignment.assignGridWorker.id,
  };
}

/** Global IDs of every record kind in a community's records, with their type names. */
export function recordIds(records: CommunityRecords): { typeName: string; id: string }[] {
  return Object.entries(records)
    .filter(([key]) => key !== 'communityId')
    .map(([, id]) => ({ typeName: typeNameOf(id), id }));
}

function typeNameOf(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[0];
}

/**
 * Variables that satisfy a field's argument types (not its rules): enough for the access guard,
 * which runs before validation, to be what answers.
 */
export function placeholderArguments(args: readonly GraphQLArgument[]): { signature: string; call: string; variables: Record<string, unknown> } {
  const required = args.filter((arg) => isNonNullType(arg.type));
  return {
    signature: required.length ? `(${required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ')})` : '',
    call: required.length ? `(${required.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '',
    variables: Object.fromEntries(required.map((arg) => [arg.name, placeholder(arg.type)])),
  };
}

function placeholder(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return [placeholder(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, placeholder(field.type)]),
    );
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return toGlobalId('Request', 999999);
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      case 'LocalDate':
        return '2026-01-01';
      case 'DateTimeISO':
        return '2026-01-01T00:00:00Z';
      default:
        return 'x';
    }
  }
  return null;
}

/** A selection that is valid for any output type: `__typename` (plus nothing else). */
export function anySelection(schema: GraphQLSchema, typeName: string, fieldName: string): string {
  const field = (schema.getType(typeName) as { getFields(): Record<string, { type: unknown }> }).getFields()[fieldName];
  const named = getNamedType(field.type as never);
  return isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
}

import type { Viewer } from '../../context/context';
import { RECORD_TYPES } from './scope.rules';
import { Role } from './role';

/**
 * Who may call what, in one table. Area scope (which rows) is scope.rules.ts; this file is
 * about roles (which operations and which kinds of object). The GraphQL guard
 * (access.guard.ts) applies it to every root field and every nested field; a test walks the
 * schema and checks every root field is classified.
 */

/** Root fields anyone may call, signed in or not. */
export const PUBLIC_FIELDS: ReadonlySet<string> = new Set(['viewer', 'signIn', 'refreshSession', 'signOut']);

/**
 * Public fields that start a staff session. Never under a portal key: the answer would be read as
 * the portal's (with a staff password, its account walked to people of every area the portal sees),
 * so a portal is refused before a session exists.
 */
const SESSION_STARTING_FIELDS: ReadonlySet<string> = new Set(['signIn', 'refreshSession']);

/**
 * Mutations any signed-in account may run on itself; never a portal. forgetSignInDevice also
 * reaches other accounts' devices, for an administrator of everything only: the service decides
 * (administersAccounts), and answers any other account's device as not found.
 */
export const SELF_MUTATIONS: ReadonlySet<string> = new Set(['changePassword', 'forgetSignInDevice']);

/** Root fields that check a password: one of them per request (onePasswordPerRequestPlugin). */
export const PASSWORD_FIELDS: ReadonlySet<string> = new Set(['signIn', 'changePassword']);

/** Root queries any signed-in account may ask about itself (`me`: its own account and devices); never a portal. */
export const SELF_QUERIES: ReadonlySet<string> = new Set(['me']);

/**
 * Root fields whose answer is about the caller's own session (who they are, their account): not
 * type-checked for accounts and anonymous callers, who may not read Account otherwise (see access.guard.ts).
 */
export const SESSION_FIELDS: ReadonlySet<string> = new Set([...PUBLIC_FIELDS, ...SELF_MUTATIONS, ...SELF_QUERIES]);

/** Staff who run the closed loop in their area: they may change anything inside their scope. */
export const STAFF_ROLES: ReadonlySet<Role> = new Set([Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.GRID_WORKER]);

/** Roles that may see personal data unmasked (in scope, on request, audited). */
export const PERSONAL_DATA_ROLES: ReadonlySet<Role> = STAFF_ROLES;
/** Who may introspect the schema in production: staff and analysts (members, liaisons and portals use documented queries). */
export const INTROSPECTING_ROLES: ReadonlySet<Role> = new Set([...STAFF_ROLES, Role.ANALYST]);

/**
 * What each kind of account is bound to, checked when one is created (createAccountIn):
 * - scope: the level its scope area must be at; 'optional' (any area, or none: everything);
 *   'derived' (none may be given: a liaison's scope is the communities its unit serves, a
 *   member's their residence community, both read at sign-in).
 * - unit / person: required or refused; a person is optional where not said.
 */
export const ACCOUNT_BINDINGS: Readonly<Record<Exclude<Role, Role.PORTAL>, { scope: 'optional' | 'derived' | 'STREET' | 'COMMUNITY' | 'GRID'; unit: 'required' | 'refused'; person?: 'required' }>> = {
  [Role.DISTRICT_ADMIN]: { scope: 'optional', unit: 'refused' },
  [Role.ANALYST]: { scope: 'optional', unit: 'refused' },
  [Role.STREET_STAFF]: { scope: 'STREET', unit: 'refused' },
  [Role.COMMUNITY_STAFF]: { scope: 'COMMUNITY', unit: 'refused' },
  [Role.GRID_WORKER]: { scope: 'GRID', unit: 'refused' },
  [Role.UNIT_LIAISON]: { scope: 'derived', unit: 'required' },
  [Role.PARTY_MEMBER]: { scope: 'derived', unit: 'refused', person: 'required' },
};

/** Mutations only a district administrator may run: accounts, keys, catalogues, rules, imports, new districts, the working-day calendar. */
export const ADMIN_MUTATIONS: ReadonlySet<string> = new Set([
  'createAccount',
  'resetAccountPassword',
  'setAccountActive',
  'updateAccount',
  'unlockAccount',
  'createApiKey',
  'revokeApiKey',
  'createRequestCategory',
  'updateRequestCategory',
  'updatePointRule',
  'importServiceRecords',
  'createDistrict',
  'createProjectTemplate',
  'updateProjectTemplate',
  'retireProjectTemplate',
  'adjustWorkCalendar',
]);

/**
 * What the roles outside the staff may change: their own part of the closed loop. Services
 * check that they act for themselves (their unit, their person): see assertActsFor.
 */
export const ROLE_MUTATIONS: Readonly<Partial<Record<Role, ReadonlySet<string>>>> = {
  [Role.UNIT_LIAISON]: new Set([
    'takeRequest',
    'startRequest',
    'resolveRequest',
    'returnRequest',
    'commentOnRequest',
    'answerWhistle',
    'reportToWhistle',
    'claimListItem',
    'cancelClaim',
    'deliverClaim',
    'claimMicroWish',
    'fulfillMicroWish',
    'registerUnitWithCommunity',
  ]),
  [Role.PARTY_MEMBER]: new Set([
    'takeRequest',
    'startRequest',
    'resolveRequest',
    'returnRequest',
    'commentOnRequest',
    'claimMicroWish',
    'fulfillMicroWish',
    'claimServicePost',
    'endPostClaim',
    'signUpForActivity',
    'cancelSignUp',
    'redeemPoints',
  ]),
  [Role.ANALYST]: new Set(),
  [Role.PORTAL]: new Set(),
};

/**
 * Root queries a portal may call: the public directory and aggregate figures. Nothing that
 * lists people or cases.
 */
export const PORTAL_QUERIES: ReadonlySet<string> = new Set([
  'viewer',
  'node',
  'nodes',
  'districts',
  'streets',
  'communities',
  'grids',
  'buildings',
  'units',
  'partyOrganizations',
  'alliances',
  'pairings',
  'requestCategories',
  'serviceItems',
  'dashboard',
  'streetRanking',
  'serviceStats',
  'demandRanking',
  'demandSeries',
  'demandHotspots',
  'projectTemplates',
  'livelihoodProjects',
  'workCalendar',
]);

/** Object types a role may not read at all, wherever they appear (root, nested, node()). */
const ADMIN_ONLY_TYPES = ['Account', 'SignInDevice', 'ApiKey', 'PersonalDataAccess', 'MutationAudit', 'ImportRun', 'ImportRejection'];
export const HIDDEN_TYPES: Readonly<Record<Role, ReadonlySet<string>>> = {
  [Role.DISTRICT_ADMIN]: new Set(),
  [Role.STREET_STAFF]: new Set(ADMIN_ONLY_TYPES),
  [Role.COMMUNITY_STAFF]: new Set(ADMIN_ONLY_TYPES),
  [Role.GRID_WORKER]: new Set(ADMIN_ONLY_TYPES),
  [Role.UNIT_LIAISON]: new Set(ADMIN_ONLY_TYPES),
  [Role.PARTY_MEMBER]: new Set(ADMIN_ONLY_TYPES),
  [Role.ANALYST]: new Set(['Account', 'SignInDevice', 'ApiKey', 'PersonalDataAccess', 'MutationAudit']),
  [Role.PORTAL]: new Set([...ADMIN_ONLY_TYPES, ...RECORD_TYPES, 'PointsLeaderboardEntry', 'ActivityRecordCard', 'UnitAssessment', 'MemberAssessment', 'ResourceMatch']),
};

/** A district administrator bound to no area: the one who runs ADMIN_MUTATIONS and acts on other accounts. */
export function administersAccounts(viewer: Viewer): boolean {
  return viewer.kind === 'account' && viewer.role === Role.DISTRICT_ADMIN && viewer.scopePaths === null;
}

/** The outcome of asking whether a viewer may call a root field. */
export type FieldDecision = 'allow' | 'unauthenticated' | 'forbidden';

export function decideRootField(viewer: Viewer, operation: 'Query' | 'Mutation', field: string): FieldDecision {
  if (PUBLIC_FIELDS.has(field)) return viewer.kind === 'portal' && SESSION_STARTING_FIELDS.has(field) ? 'forbidden' : 'allow';
  if (viewer.kind === 'anonymous') return 'unauthenticated';
  const role = viewer.role;
  if (SELF_QUERIES.has(field)) return viewer.kind === 'account' ? 'allow' : 'forbidden';
  if (operation === 'Query') return role !== Role.PORTAL || PORTAL_QUERIES.has(field) ? 'allow' : 'forbidden';
  if (ADMIN_MUTATIONS.has(field)) return administersAccounts(viewer) ? 'allow' : 'forbidden';
  if (SELF_MUTATIONS.has(field)) return viewer.kind === 'account' ? 'allow' : 'forbidden';
  if (STAFF_ROLES.has(role)) return 'allow';
  return ROLE_MUTATIONS[role]?.has(field) ? 'allow' : 'forbidden';
}

/**
 * What only an administrator of the whole district reads: the accounts, the keys and the audit
 * logs, which span every area (an audit row names records of any area). An administrator bound to
 * an area may not change them (ADMIN_MUTATIONS), nor read them.
 */
const DISTRICT_WIDE_TYPES: ReadonlySet<string> = new Set(['Account', 'SignInDevice', 'ApiKey', 'PersonalDataAccess', 'MutationAudit']);

/**
 * Whether a viewer may read an account's sign-in devices: whoever may read SignInDevice, and an
 * account its own (`me`, forgetSignInDevice's answer), which it needs to know which one to forget.
 */
export function mayReadSignInDevicesOf(viewer: Viewer, accountId: number): boolean {
  return (viewer.kind === 'account' && viewer.accountId === accountId) || mayReadType(viewer, 'SignInDevice');
}

/** Whether a viewer may read objects of a GraphQL type at all. */
export function mayReadType(viewer: Viewer, typeName: string): boolean {
  if (viewer.kind === 'anonymous') return false;
  if (viewer.role === Role.DISTRICT_ADMIN && viewer.scopePaths !== null && DISTRICT_WIDE_TYPES.has(typeName)) return false;
  return !HIDDEN_TYPES[viewer.role].has(typeName);
}

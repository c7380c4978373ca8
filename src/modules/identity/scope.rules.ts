import { raw } from '@mikro-orm/core';

/**
 * Which area each kind of record belongs to, in one table: the relation path from the record
 * to the Area whose materialised path (/1/4/17/) decides whether a viewer's scope covers it.
 * '' means the record is an area itself.
 *
 * The same table drives reading (a MikroORM filter hides out-of-scope rows of the
 * RECORD_TYPES from every find, count, loader and connection) and writing (the write guard
 * refuses to create, change or delete any scoped row outside the viewer's subtrees).
 * A test checks every entity is classified here, so a new entity cannot slip through.
 */
export const SCOPE_PATHS: Readonly<Record<string, string>> = {
  Area: '',
  District: '',
  Street: '',
  Community: '',
  Grid: '',
  Building: '',
  Unit: 'area',
  PartyOrganization: 'area',
  PartTimeMember: 'organization.area',
  Alliance: 'area',
  AllianceMember: 'alliance.area',
  Pairing: 'community',
  Person: 'residenceCommunity',
  GridAssignment: 'grid',
  Request: 'area',
  RequestEvent: 'request.area',
  Whistle: 'blownBy',
  WhistleRecipient: 'whistle.blownBy',
  ProblemList: 'community',
  ListItem: 'list.community',
  Claim: 'item.list.community',
  MicroWish: 'community',
  UnitRegistration: 'community',
  ServicePost: 'community',
  PostClaim: 'post.community',
  // An ended 双报到 report (updatePerson ends it: a move, retirement, leaving the employer): the
  // community reported to, in scope whenever the person was (the move is checked on the person).
  PastReport: 'community',
  PointEntry: 'person.residenceCommunity',
  Activity: 'community',
  ActivityParticipation: 'activity.community',
  ServiceRecord: 'community',
  LivelihoodProject: 'community',
  ProjectFunding: 'project.community',
  ProjectResource: 'project.community',
  ProjectEvent: 'project.community',
};

/**
 * Records about people and cases: a scoped viewer reads only those inside their subtrees
 * (everything else about them is simply not there: lists skip them, node() answers null).
 * The other scoped types (the area tree, units, party organisations, alliances, pairings,
 * livelihood projects and their funding) are the public directory: every signed-in viewer reads
 * all of it, but writes stay in scope.
 */
export const RECORD_TYPES: ReadonlySet<string> = new Set([
  'Person',
  'GridAssignment',
  'PartTimeMember',
  'Request',
  'RequestEvent',
  'Whistle',
  'WhistleRecipient',
  'ProblemList',
  'ListItem',
  'Claim',
  'MicroWish',
  'UnitRegistration',
  'ServicePost',
  'PostClaim',
  'PastReport',
  'PointEntry',
  'Activity',
  'ActivityParticipation',
  'ServiceRecord',
]);

/**
 * Rows written as a consequence of a checked act, whose own area may lie elsewhere: a point
 * entry belongs to the member's residence community although the work was verified here; a
 * ledger entry follows its request. The act that writes them is checked instead.
 */
export const CONSEQUENCE_TYPES: ReadonlySet<string> = new Set(['PointEntry', 'RequestEvent', 'ProjectEvent']);

/**
 * Reference data and bookkeeping with no area: catalogues, rules, import runs, accounts. Only
 * viewers bound to no area (district administrators) may change them; sign-in bookkeeping
 * (refresh tokens, device tokens, last sign-in) is written by the identity service for the account itself.
 */
export const GLOBAL_TYPES: ReadonlySet<string> = new Set([
  'RequestCategory',
  'ServiceItem',
  'ProjectTemplate',
  'PointRule',
  'ImportRun',
  'ImportRejection',
  'ServiceDaily',
  'RequestDaily',
  'Account',
  'RefreshToken',
  'SignInDevice',
  'ApiKey',
  'PersonalDataAccess',
  'MutationAudit',
]);

/** Types the identity service writes for a caller who is not (yet) a scoped account: sign-in, refresh, audit. */
export const SELF_SERVICE_TYPES: ReadonlySet<string> = new Set(['RefreshToken', 'SignInDevice', 'Account', 'PersonalDataAccess', 'MutationAudit']);

/**
 * Who the viewer acts for, beside their area: a unit liaison's unit (`unit`), a party member's own
 * person (`person`). What is sent to them (a whistle addressed to the unit, a request dispatched to
 * the unit or the member) reaches them wherever it is.
 */
export interface Addressee {
  unit: number | null;
  person: number | null;
}

export const NO_ADDRESSEE: Addressee = { unit: null, person: null };

/**
 * A request dispatched to the addressee (to the unit, or to the member), whatever its area: the
 * branch may send it to a member serving in a community they do not live in (a grid they work),
 * or to a unit not paired with the community. The assignee reads it, its ledger, and takes its
 * steps (their role allows only theirs: take, start, resolve, return, comment); handed back or
 * re-dispatched, it is no longer theirs. Null: nothing is sent to this viewer.
 */
function assignedTo(addressee: Addressee): Record<string, unknown> | null {
  const alternatives = [
    ...(addressee.unit !== null ? [{ assigneeUnit: addressee.unit }] : []),
    ...(addressee.person !== null ? [{ assigneePerson: addressee.person }] : []),
  ];
  if (alternatives.length === 0) return null;
  return alternatives.length === 1 ? alternatives[0] : { $or: alternatives };
}

/**
 * Reading reaches a little further than writing for people: a person is visible where they live
 * and wherever a community's work links them (grids they work, posts, activities, party seats,
 * assignments: the person_area view), so a community sees the member from elsewhere who serves
 * in it. Changing a person stays with their residence community.
 * And for whistles: a whistle reaches the department wherever it was blown (a street, the
 * district), so the liaison of an addressed unit (`addressee.unit`) reads the whistle and that
 * unit's recipient row, though the blowing area lies outside the communities the unit serves.
 * And for requests: the assignee reads a request dispatched to them, and its ledger (assignedTo).
 */
export function readScopeCondition(entityName: string, paths: readonly string[], addressee: Addressee = NO_ADDRESSEE): Record<string, unknown> {
  const own = scopeCondition(entityName, paths);
  if (entityName === 'WhistleRecipient' || entityName === 'Request') return writeScopeCondition(entityName, paths, addressee);
  const assigned = assignedTo(addressee);
  if (assigned !== null && entityName === 'RequestEvent') return { $or: [own, { request: assigned }] };
  const addressedUnit = addressee.unit;
  if (addressedUnit !== null && entityName === 'Whistle') {
    const addressed = raw((alias: string) => `${alias}.id in (select wr.whistle_id from whistle_recipient wr where wr.unit_id = ?)`, [addressedUnit]);
    return { $or: [own, { [addressed]: [] }] };
  }
  if (entityName !== 'Person' || paths.length === 0) return own;
  const linked = raw(
    (alias: string) => `${alias}.id in (select pa.person_id from person_area pa where ${paths.map(() => 'pa.path like ?').join(' or ')})`,
    paths.map((path) => `${path}%`),
  );
  return { $or: [own, { [linked]: [] }] };
}

/**
 * Which existing rows a viewer may change: those in scope, and for the liaison of an addressed unit
 * (`addressee.unit`) also that unit's own recipient row of a whistle blown elsewhere (its report and
 * feedback), nothing else there; for an assignee, the request dispatched to them (assignedTo).
 */
export function writeScopeCondition(entityName: string, paths: readonly string[], addressee: Addressee = NO_ADDRESSEE): Record<string, unknown> {
  const own = scopeCondition(entityName, paths);
  if (addressee.unit !== null && entityName === 'WhistleRecipient') return { $or: [own, { unit: addressee.unit }] };
  const assigned = entityName === 'Request' ? assignedTo(addressee) : null;
  if (assigned !== null) return { $or: [own, assigned] };
  return own;
}

/** A MikroORM condition: the record's area lies under one of `paths` (none: matches nothing). */
export function scopeCondition(entityName: string, paths: readonly string[]): Record<string, unknown> {
  const chain = SCOPE_PATHS[entityName];
  if (chain === undefined) throw new Error(`no scope rule for ${entityName}`);
  if (paths.length === 0) return { id: { $in: [] } }; // on the record itself: no join needed to match nothing
  return nestedAreaPathCondition(chain, paths);
}

/**
 * A MikroORM condition on an Area: it lies under one of `paths`. No paths matches nothing: MikroORM
 * drops an empty `$or`, so `{ $or: [] }` would match every area (an unpaired liaison's scope is []).
 */
export function areaPathCondition(paths: readonly string[]): Record<string, unknown> {
  if (paths.length === 0) return { id: { $in: [] } };
  const alternatives = paths.map((path) => ({ path: { $like: `${path}%` } }));
  return alternatives.length === 1 ? alternatives[0] : { $or: alternatives };
}

/** `areaPathCondition` reached from a record through the relation `chain` ('grid.community'). */
export function nestedAreaPathCondition(chain: string, paths: readonly string[]): Record<string, unknown> {
  return nest(chain, areaPathCondition(paths));
}

function nest(chain: string, leaf: Record<string, unknown>): Record<string, unknown> {
  if (!chain) return leaf;
  return chain
    .split('.')
    .reverse()
    .reduce<Record<string, unknown>>((inner, property) => ({ [property]: inner }), leaf);
}

import type { Relation } from '../../context/loaders';
import { PartTimeMember, PartyOrganization } from './party-organization.entity';

export const childrenOfOrganization: Relation<PartyOrganization> = { name: 'PartyOrganization.children', entity: PartyOrganization, whereFor: (id) => ({ parent: id }) };
export const partTimeMembersOfOrganization: Relation<PartTimeMember> = { name: 'PartyOrganization.partTimeMembers', entity: PartTimeMember, whereFor: (id) => ({ organization: id }) };
/** Organisations attached inside an area's subtree, keyed by the area's path. */
export const organizationsWithin: Relation<PartyOrganization, string> = { name: 'organizationsWithin', entity: PartyOrganization, whereFor: (path) => ({ area: { path: { $like: `${path}%` } } }) };

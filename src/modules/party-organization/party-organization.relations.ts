import { byForeignKey, type Relation } from '../../context/loaders';
import { PartTimeMember, PartyOrganization } from './party-organization.entity';

export const childrenOfOrganization = byForeignKey('PartyOrganization.children', PartyOrganization, 'parent');
export const partTimeMembersOfOrganization = byForeignKey('PartyOrganization.partTimeMembers', PartTimeMember, 'organization');
/** Organisations attached inside an area's subtree, keyed by the area's path. */
export const organizationsWithin: Relation<PartyOrganization, string> = { name: 'organizationsWithin', entity: PartyOrganization, whereFor: (path) => ({ area: { path: { $like: `${path}%` } } }) };

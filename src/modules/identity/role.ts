import { registerEnumType } from 'type-graphql';

/** What an account is for; each is bound to an area scope (or, for a unit liaison, a unit). */
export enum Role {
  DISTRICT_ADMIN = 'DISTRICT_ADMIN',
  STREET_STAFF = 'STREET_STAFF',
  COMMUNITY_STAFF = 'COMMUNITY_STAFF',
  GRID_WORKER = 'GRID_WORKER',
  UNIT_LIAISON = 'UNIT_LIAISON',
  PARTY_MEMBER = 'PARTY_MEMBER',
  ANALYST = 'ANALYST',
  PORTAL = 'PORTAL',
}
registerEnumType(Role, { name: 'Role' });

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
registerEnumType(Role, {
  name: 'Role',
  valuesConfig: {
    DISTRICT_ADMIN: { description: '区管理员: everything in its scope; unbound (no area), also accounts, API keys, catalogues, imports and the audit logs.' },
    STREET_STAFF: { description: '街道工作人员: reads and writes records inside its street.' },
    COMMUNITY_STAFF: { description: '社区工作人员: reads and writes records inside its community.' },
    GRID_WORKER: { description: '网格员: reads and writes records inside its grid.' },
    UNIT_LIAISON: { description: 'A unit\'s liaison: acts for its unit in the communities the unit serves (requests dispatched to it, whistles, claims, micro-wishes); personal data masked.' },
    PARTY_MEMBER: { description: '党员: acts for themselves (requests dispatched to them, sign-ups, posts, micro-wishes, redeeming points) in their residence community; personal data masked.' },
    ANALYST: { description: 'Reads everything in its scope masked, and all figures and rankings; writes nothing.' },
    PORTAL: { description: 'The role of a portal API key: reads the directory and figures only; writes nothing.' },
  },
});

import {
  AllianceMemberFieldsResolver,
  AllianceResolver,
  CommunityAllianceResolver,
  StreetAllianceResolver,
  UnitAllianceResolver,
} from './modules/alliance/alliance.resolver';
import {
  AreaFieldsResolver,
  BuildingFieldsResolver,
  CommunityFieldsResolver,
  DistrictFieldsResolver,
  GridFieldsResolver,
  StreetFieldsResolver,
} from './modules/area/area-fields.resolver';
import { AreaResolver } from './modules/area/area.resolver';
import { NodeResolver } from './modules/node/node.resolver';
import { CommunityPairingsResolver, PairingResolver, UnitPairingsResolver } from './modules/pairing/pairing.resolver';
import {
  CommunityOrganizationsResolver,
  GridOrganizationsResolver,
  PartTimeMemberFieldsResolver,
  PartyOrganizationResolver,
} from './modules/party-organization/party-organization.resolver';
import {
  CommunityPeopleResolver,
  GridAssignmentFieldsResolver,
  GridWorkersResolver,
  OrganizationMembersResolver,
  PersonResolver,
  UnitPeopleResolver,
} from './modules/person/person.resolver';
import { CommunityUnitsResolver, UnitResolver } from './modules/unit/unit.resolver';
import { IDENTITY_RESOLVERS } from './modules/identity';
import { CATEGORY_RESOLVERS } from './modules/category';
import { REQUEST_RESOLVERS } from './modules/request';
import { WHISTLE_RESOLVERS } from './modules/whistle';
import { LIST_RESOLVERS } from './modules/list';
import { MICRO_WISH_RESOLVERS } from './modules/micro-wish';
import { SERVICE_POST_RESOLVERS } from './modules/service-post';
import { POINTS_RESOLVERS } from './modules/points';
import { ACTIVITY_RESOLVERS } from './modules/activity';
import { DASHBOARD_RESOLVERS } from './modules/dashboard';
import { SERVICE_DATA_RESOLVERS } from './modules/service-data';
import { TEXT_RESOLVERS } from './modules/text';
import { DEMAND_RESOLVERS } from './modules/demand';
import { PROJECT_RESOLVERS } from './modules/project';
import { CALENDAR_RESOLVERS } from './modules/calendar';


/** Every resolver class; the schema is built from this list. */
export const RESOLVERS = [
  NodeResolver,
  AreaResolver,
  AreaFieldsResolver,
  DistrictFieldsResolver,
  StreetFieldsResolver,
  CommunityFieldsResolver,
  GridFieldsResolver,
  BuildingFieldsResolver,
  UnitResolver,
  CommunityUnitsResolver,
  PartyOrganizationResolver,
  PartTimeMemberFieldsResolver,
  CommunityOrganizationsResolver,
  GridOrganizationsResolver,
  AllianceResolver,
  AllianceMemberFieldsResolver,
  CommunityAllianceResolver,
  StreetAllianceResolver,
  UnitAllianceResolver,
  PairingResolver,
  CommunityPairingsResolver,
  UnitPairingsResolver,
  PersonResolver,
  GridAssignmentFieldsResolver,
  CommunityPeopleResolver,
  GridWorkersResolver,
  OrganizationMembersResolver,
  UnitPeopleResolver,
  ...CATEGORY_RESOLVERS,
  ...REQUEST_RESOLVERS,
  ...WHISTLE_RESOLVERS,
  ...LIST_RESOLVERS,
  ...MICRO_WISH_RESOLVERS,
  ...SERVICE_POST_RESOLVERS,
  ...POINTS_RESOLVERS,
  ...ACTIVITY_RESOLVERS,
  ...DASHBOARD_RESOLVERS,
  ...SERVICE_DATA_RESOLVERS,
  ...DEMAND_RESOLVERS,
  ...PROJECT_RESOLVERS,
  ...CALENDAR_RESOLVERS,
  ...IDENTITY_RESOLVERS,
  ...TEXT_RESOLVERS,
];

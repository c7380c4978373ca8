import { Area, Building, Community, District, Grid, Street } from '../modules/area/area.entity';
import { Alliance, AllianceMember } from '../modules/alliance/alliance.entity';
import { Pairing } from '../modules/pairing/pairing.entity';
import { PartTimeMember, PartyOrganization } from '../modules/party-organization/party-organization.entity';
import { GridAssignment, Person } from '../modules/person/person.entity';
import { Unit } from '../modules/unit/unit.entity';

/** Every entity, listed explicitly so ts-jest and compiled JS discover the same set. */
export const ENTITIES = [
  Area,
  District,
  Street,
  Community,
  Grid,
  Building,
  PartyOrganization,
  PartTimeMember,
  Unit,
  Alliance,
  AllianceMember,
  Pairing,
  Person,
  GridAssignment,
];

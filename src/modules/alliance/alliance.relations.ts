import type { Relation } from '../../context/loaders';
import { AllianceMember } from './alliance.entity';

export const membersOfAlliance: Relation<AllianceMember> = { name: 'Alliance.members', entity: AllianceMember, whereFor: (id) => ({ alliance: id }) };
export const membershipsOfUnit: Relation<AllianceMember> = { name: 'Unit.allianceMemberships', entity: AllianceMember, whereFor: (id) => ({ unit: id }) };

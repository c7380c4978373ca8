import { byForeignKey } from '../../context/loaders';
import { AllianceMember } from './alliance.entity';

export const membersOfAlliance = byForeignKey('Alliance.members', AllianceMember, 'alliance');
export const membershipsOfUnit = byForeignKey('Unit.allianceMemberships', AllianceMember, 'unit');

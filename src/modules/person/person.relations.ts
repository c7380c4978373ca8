import { byForeignKey } from '../../context/loaders';
import { GridAssignment, Person } from './person.entity';

export const partyMembersOfCommunity = byForeignKey('Community.partyMembers', Person, 'residenceCommunity', { partyStatus: { $ne: null } });
export const membersOfOrganization = byForeignKey('PartyOrganization.members', Person, 'organization');
export const employeesOfUnit = byForeignKey('Unit.people', Person, 'employerUnit');
export const workersOfGrid = byForeignKey('Grid.workers', GridAssignment, 'grid');
export const gridsOfWorker = byForeignKey('Person.gridAssignments', GridAssignment, 'person');

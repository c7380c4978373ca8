import type { Relation } from '../../context/loaders';
import { GridAssignment, Person } from './person.entity';

export const partyMembersOfCommunity: Relation<Person> = { name: 'Community.partyMembers', entity: Person, whereFor: (id) => ({ residenceCommunity: id, partyStatus: { $ne: null } }) };
export const membersOfOrganization: Relation<Person> = { name: 'PartyOrganization.members', entity: Person, whereFor: (id) => ({ organization: id }) };
export const employeesOfUnit: Relation<Person> = { name: 'Unit.people', entity: Person, whereFor: (id) => ({ employerUnit: id }) };
export const workersOfGrid: Relation<GridAssignment> = { name: 'Grid.workers', entity: GridAssignment, whereFor: (id) => ({ grid: id }) };
export const gridsOfWorker: Relation<GridAssignment> = { name: 'Person.gridAssignments', entity: GridAssignment, whereFor: (id) => ({ person: id }) };

import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NamedOrderField } from '../../common/inputs';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import { maskIdNumber, maskPhone } from '../../common/privacy';
import type { AppContext } from '../../context/context';
import { RevealArg, areaPathOf, personalField, type PersonalDataSubject } from '../identity/personal-data';
import { Area, Community, Grid } from '../area/area.entity';
import { PartyOrganization } from '../party-organization/party-organization.entity';
import { Unit } from '../unit/unit.entity';
import { GridAssignment, Person } from './person.entity';
import { AssignGridWorkerInput, CreatePersonInput, PersonListArgs, UpdatePersonInput } from './person.inputs';
import { employeesOfUnit, gridsOfWorker, membersOfOrganization, partyMembersOfCommunity, workersOfGrid } from './person.relations';
import { personService } from './person.service';

export const PersonConnection = ConnectionType(Person, 'Person');
export const GridAssignmentConnection = ConnectionType(GridAssignment, 'GridAssignment');
const BY_NAME = { property: NamedOrderField.NAME, direction: OrderDirection.ASC };
const BY_ID = { property: NamedOrderField.ID, direction: OrderDirection.ASC };

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => PersonConnection, { description: 'Everyone registered: party members and non-party staff.' })
  people(@Args() args: PersonListArgs, @Ctx() ctx: AppContext) {
    return personService.list(ctx, args);
  }

  @Query(() => PersonConnection, { description: 'Party members only (在职, 退休, 流动).' })
  partyMembers(@Args() args: PersonListArgs, @Ctx() ctx: AppContext) {
    return personService.list(ctx, args, { partyMembersOnly: true });
  }

  @Mutation(() => Person, { description: 'Register a person (双报到): a party member, or non-party staff.' })
  createPerson(@Arg('input') input: CreatePersonInput, @Ctx() ctx: AppContext) {
    return personService.create(ctx, input);
  }

  @Mutation(() => Person)
  updatePerson(@Arg('id', () => ID) id: string, @Arg('input') input: UpdatePersonInput, @Ctx() ctx: AppContext) {
    return personService.update(ctx, id, input);
  }

  @Mutation(() => GridAssignment, { description: 'Assign a person to work a grid (网格员).' })
  assignGridWorker(@Arg('input') input: AssignGridWorkerInput, @Ctx() ctx: AppContext) {
    return personService.assignGridWorker(ctx, input);
  }

  @Mutation(() => ID, { description: 'Returns the removed assignment\'s ID.' })
  unassignGridWorker(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return personService.unassignGridWorker(ctx, id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked, e.g. 138****5678, unless revealed.' })
  phone(@Root() person: Person, @RevealArg() reveal: boolean, @Ctx() ctx: AppContext) {
    return personalField(ctx, personSubject(ctx, person), 'phone', person.phone, maskPhone, reveal);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked: region prefix and last four only, unless revealed.' })
  idNumber(@Root() person: Person, @RevealArg() reveal: boolean, @Ctx() ctx: AppContext) {
    return personalField(ctx, personSubject(ctx, person), 'idNumber', person.idNumber, maskIdNumber, reveal);
  }

  @FieldResolver(() => Unit, { nullable: true })
  employerUnit(@Root() person: Person, @Ctx() ctx: AppContext) {
    return person.employerUnit ? ctx.loaders.byId(Unit).load(person.employerUnit.id) : null;
  }

  @FieldResolver(() => Community, { nullable: true, description: 'Where they live and report (双报到).' })
  residenceCommunity(@Root() person: Person, @Ctx() ctx: AppContext) {
    return person.residenceCommunity ? ctx.loaders.byId(Area).load(person.residenceCommunity.id) : null;
  }

  @FieldResolver(() => PartyOrganization, { nullable: true, description: 'The branch or group they are placed in.' })
  organization(@Root() person: Person, @Ctx() ctx: AppContext) {
    return person.organization ? ctx.loaders.byId(PartyOrganization).load(person.organization.id) : null;
  }

  @FieldResolver(() => GridAssignmentConnection, { description: 'Grids this person works as a grid worker.' })
  gridAssignments(@Root() person: Person, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(gridsOfWorker, person.id, args, BY_ID);
  }
}

@Resolver(() => GridAssignment)
export class GridAssignmentFieldsResolver {
  @FieldResolver(() => Grid)
  grid(@Root() assignment: GridAssignment, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(assignment.grid.id);
  }

  @FieldResolver(() => Person)
  person(@Root() assignment: GridAssignment, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Person).load(assignment.person.id);
  }
}

@Resolver(() => Community)
export class CommunityPeopleResolver {
  @FieldResolver(() => PersonConnection, { description: 'Party members living here (reported to this community), by name.' })
  partyMembers(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(partyMembersOfCommunity, community.id, args, BY_NAME);
  }

  @FieldResolver(() => Int)
  partyMemberCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(partyMembersOfCommunity).load(community.id);
  }
}

@Resolver(() => Grid)
export class GridWorkersResolver {
  @FieldResolver(() => GridAssignmentConnection, { description: 'Grid workers (网格员) assigned here.' })
  workers(@Root() grid: Grid, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(workersOfGrid, grid.id, args, BY_ID);
  }

  @FieldResolver(() => Int)
  workerCount(@Root() grid: Grid, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(workersOfGrid).load(grid.id);
  }
}

@Resolver(() => PartyOrganization)
export class OrganizationMembersResolver {
  @FieldResolver(() => PersonConnection, { description: 'People placed in this branch or group, by name.' })
  members(@Root() organization: PartyOrganization, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(membersOfOrganization, organization.id, args, BY_NAME);
  }

  @FieldResolver(() => Int)
  memberCount(@Root() organization: PartyOrganization, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(membersOfOrganization).load(organization.id);
  }
}

@Resolver(() => Unit)
export class UnitPeopleResolver {
  @FieldResolver(() => PersonConnection, { description: 'Registered people employed here (in-service members and staff), by name.' })
  people(@Root() unit: Unit, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(employeesOfUnit, unit.id, args, BY_NAME);
  }

  @FieldResolver(() => Int)
  peopleCount(@Root() unit: Unit, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(employeesOfUnit).load(unit.id);
  }
}

/** A person's personal data belongs to their residence community. */
function personSubject(ctx: AppContext, person: Person): PersonalDataSubject {
  return { typeName: 'Person', id: person.id, areaPath: () => areaPathOf(ctx, person.residenceCommunity?.id) };
}

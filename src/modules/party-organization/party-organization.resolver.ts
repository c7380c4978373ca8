import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NamedOrderField } from '../../common/inputs';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Community, Grid } from '../area/area.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { PartTimeMember, PartyOrganization } from './party-organization.entity';
import {
  AddPartTimeMemberInput,
  CreatePartyOrganizationInput,
  PartyOrganizationListArgs,
  UpdatePartyOrganizationInput,
} from './party-organization.inputs';
import { childrenOfOrganization, organizationsWithin, partTimeMembersOfOrganization } from './party-organization.relations';
import { partyOrganizationService } from './party-organization.service';

export const PartyOrganizationConnection = ConnectionType(PartyOrganization, 'PartyOrganization');
export const PartTimeMemberConnection = ConnectionType(PartTimeMember, 'PartTimeMember');
const BY_NAME = { property: NamedOrderField.NAME, direction: OrderDirection.ASC };
const BY_ID = { property: NamedOrderField.ID, direction: OrderDirection.ASC };

@Resolver(() => PartyOrganization)
export class PartyOrganizationResolver {
  @Query(() => PartyOrganizationConnection, { description: '党组织' })
  partyOrganizations(@Args() args: PartyOrganizationListArgs, @Ctx() ctx: AppContext) {
    return partyOrganizationService.list(ctx, args);
  }

  @Mutation(() => PartyOrganization)
  createPartyOrganization(@Arg('input') input: CreatePartyOrganizationInput, @Ctx() ctx: AppContext) {
    return partyOrganizationService.create(ctx, input);
  }

  @Mutation(() => PartyOrganization)
  updatePartyOrganization(@Arg('id', () => ID) id: string, @Arg('input') input: UpdatePartyOrganizationInput, @Ctx() ctx: AppContext) {
    return partyOrganizationService.update(ctx, id, input);
  }

  @Mutation(() => PartTimeMember, { description: 'Give someone from a unit a part-time seat (兼职委员) on an organisation.' })
  addPartTimeMember(@Arg('input') input: AddPartTimeMemberInput, @Ctx() ctx: AppContext) {
    return partyOrganizationService.addPartTimeMember(ctx, input);
  }

  @Mutation(() => ID, { description: 'Returns the removed seat\'s ID.' })
  removePartTimeMember(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return partyOrganizationService.removePartTimeMember(ctx, id);
  }

  @FieldResolver(() => Area)
  area(@Root() organization: PartyOrganization, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(organization.area.id);
  }

  @FieldResolver(() => PartyOrganization, { nullable: true })
  parent(@Root() organization: PartyOrganization, @Ctx() ctx: AppContext) {
    return organization.parent ? ctx.loaders.byId(PartyOrganization).load(organization.parent.id) : null;
  }

  @FieldResolver(() => PartyOrganizationConnection, { description: 'Direct child organisations, by name.' })
  children(@Root() organization: PartyOrganization, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(childrenOfOrganization, organization.id, args, BY_NAME);
  }

  @FieldResolver(() => Person, { nullable: true, description: '书记' })
  secretary(@Root() organization: PartyOrganization, @Ctx() ctx: AppContext) {
    return organization.secretary ? ctx.loaders.byId(Person).load(organization.secretary.id) : null;
  }

  @FieldResolver(() => PartTimeMemberConnection, { description: '兼职委员 from units.' })
  partTimeMembers(@Root() organization: PartyOrganization, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(partTimeMembersOfOrganization, organization.id, args, BY_ID);
  }
}

@Resolver(() => PartTimeMember)
export class PartTimeMemberFieldsResolver {
  @FieldResolver(() => PartyOrganization)
  organization(@Root() seat: PartTimeMember, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(PartyOrganization).load(seat.organization.id);
  }

  @FieldResolver(() => Person)
  person(@Root() seat: PartTimeMember, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Person).load(seat.person.id);
  }

  @FieldResolver(() => Unit, { nullable: true })
  unit(@Root() seat: PartTimeMember, @Ctx() ctx: AppContext) {
    return seat.unit ? ctx.loaders.byId(Unit).load(seat.unit.id) : null;
  }
}

@Resolver(() => Community)
export class CommunityOrganizationsResolver {
  @FieldResolver(() => PartyOrganizationConnection, { description: 'Party organisations attached to the community or inside it (grid branches, building groups), by name.' })
  partyOrganizations(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(organizationsWithin, community.path, args, BY_NAME);
  }

  @FieldResolver(() => Int)
  partyOrganizationCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(organizationsWithin).load(community.path);
  }
}

@Resolver(() => Grid)
export class GridOrganizationsResolver {
  @FieldResolver(() => PartyOrganizationConnection, { description: 'The grid branch and building groups inside the grid.' })
  partyOrganizations(@Root() grid: Grid, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(organizationsWithin, grid.path, args, BY_NAME);
  }
}

import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NamedOrderField } from '../../common/inputs';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Community, Street } from '../area/area.entity';
import { PartyOrganization } from '../party-organization/party-organization.entity';
import { Person } from '../person/person.entity';
import { Unit } from '../unit/unit.entity';
import { Alliance, AllianceMember } from './alliance.entity';
import { AddAllianceMemberInput, AllianceListArgs, CreateAllianceInput, UpdateAllianceInput, UpdateAllianceMemberInput } from './alliance.inputs';
import { membersOfAlliance, membershipsOfUnit } from './alliance.relations';
import { allianceService } from './alliance.service';

export const AllianceConnection = ConnectionType(Alliance, 'Alliance');
export const AllianceMemberConnection = ConnectionType(AllianceMember, 'AllianceMember');
const BY_ID = { property: NamedOrderField.ID, direction: OrderDirection.ASC };

@Resolver(() => Alliance)
export class AllianceResolver {
  @Query(() => AllianceConnection, { description: '党建联盟' })
  alliances(@Args() args: AllianceListArgs, @Ctx() ctx: AppContext) {
    return allianceService.list(ctx, args);
  }

  @Mutation(() => Alliance)
  createAlliance(@Arg('input') input: CreateAllianceInput, @Ctx() ctx: AppContext) {
    return allianceService.create(ctx, input);
  }

  @Mutation(() => Alliance)
  updateAlliance(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateAllianceInput, @Ctx() ctx: AppContext) {
    return allianceService.update(ctx, id, input);
  }

  @Mutation(() => AllianceMember, { description: 'Add a unit to an alliance with a role (POLICE, PROPERTY and OWNERS_COMMITTEE need a unit of that kind).' })
  addAllianceMember(@Arg('input') input: AddAllianceMemberInput, @Ctx() ctx: AppContext) {
    return allianceService.addMember(ctx, input);
  }

  @Mutation(() => AllianceMember)
  updateAllianceMember(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateAllianceMemberInput, @Ctx() ctx: AppContext) {
    return allianceService.updateMember(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Returns the removed membership\'s ID.' })
  removeAllianceMember(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return allianceService.removeMember(ctx, id);
  }

  @FieldResolver(() => Area, { description: 'The community (or street) whose alliance this is.' })
  area(@Root() alliance: Alliance, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(alliance.area.id);
  }

  @FieldResolver(() => PartyOrganization, { nullable: true })
  leadOrganization(@Root() alliance: Alliance, @Ctx() ctx: AppContext) {
    return alliance.leadOrganization ? ctx.loaders.byId(PartyOrganization).load(alliance.leadOrganization.id) : null;
  }

  @FieldResolver(() => AllianceMemberConnection, { description: 'Member units, in the order they joined.' })
  members(@Root() alliance: Alliance, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(membersOfAlliance, alliance.id, args, BY_ID);
  }

  @FieldResolver(() => Int)
  memberCount(@Root() alliance: Alliance, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(membersOfAlliance).load(alliance.id);
  }
}

@Resolver(() => AllianceMember)
export class AllianceMemberFieldsResolver {
  @FieldResolver(() => Alliance)
  alliance(@Root() member: AllianceMember, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Alliance).load(member.alliance.id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() member: AllianceMember, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(member.unit.id);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who holds the unit\'s part-time seat: someone working at the unit (not retired from it); vacant (null) when none is named, or the holder left the unit or was marked RETIRED.' })
  seatHolder(@Root() member: AllianceMember, @Ctx() ctx: AppContext) {
    return member.seatHolder ? ctx.loaders.byId(Person).load(member.seatHolder.id) : null;
  }
}

@Resolver(() => Community)
export class CommunityAllianceResolver {
  @FieldResolver(() => Alliance, { nullable: true, description: 'The community\'s alliance ("1+3+N", "1+N+X", ...).' })
  alliance(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.oneBy(Alliance, 'area').load(community.id);
  }
}

@Resolver(() => Street)
export class StreetAllianceResolver {
  @FieldResolver(() => Alliance, { nullable: true, description: 'The street\'s big party committee (大党委), if any.' })
  alliance(@Root() street: Street, @Ctx() ctx: AppContext) {
    return ctx.loaders.oneBy(Alliance, 'area').load(street.id);
  }
}

@Resolver(() => Unit)
export class UnitAllianceResolver {
  @FieldResolver(() => AllianceMemberConnection, { description: 'The alliances this unit sits in, with its role.' })
  allianceMemberships(@Root() unit: Unit, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(membershipsOfUnit, unit.id, args, BY_ID);
  }
}

import { IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NamedOrderField } from '../../common/inputs';
import { ConnectionArgs, ConnectionType, OrderDirection } from '../../common/pagination';
import type { AppContext } from '../../context/context';
import { Area, Community } from '../area/area.entity';
import { RequestCategory } from '../category/category.entity';
import { Person } from '../person/person.entity';
import { PersonConnection } from '../person/person.resolver';
import { Unit } from '../unit/unit.entity';
import { PostClaim, ServicePost, UnitRegistration } from './service-post.entity';
import {
  ClaimServicePostInput,
  CreateServicePostInput,
  RegisterUnitInput,
  ReportedMemberListArgs,
  ReportMemberInput,
  ServicePostListArgs,
  UpdateServicePostInput,
} from './service-post.inputs';
import {
  activeClaimsOfPost,
  activeClaimsOfPerson,
  claimsOfPerson,
  claimsOfPost,
  postsOfCommunity,
  registrationsOfCommunity,
  registrationsOfUnit,
  reportedMembersOfCommunity,
} from './service-post.relations';
import { servicePostService } from './service-post.service';

export const UnitRegistrationConnection = ConnectionType(UnitRegistration, 'UnitRegistration');
export const ServicePostConnection = ConnectionType(ServicePost, 'ServicePost');
export const PostClaimConnection = ConnectionType(PostClaim, 'PostClaim');
const BY_ID = { property: 'id', direction: OrderDirection.ASC };
const BY_NAME = { property: NamedOrderField.NAME, direction: OrderDirection.ASC };

@ArgsType()
export class PostClaimArgs extends ConnectionArgs {
  @Field({ defaultValue: false, description: 'Only claims still held (ACTIVE).' })
  @IsOptional()
  activeOnly: boolean = false;
}

@Resolver(() => UnitRegistration)
export class UnitRegistrationResolver {
  @Mutation(() => UnitRegistration, { description: '单位报到: register a unit with a community it serves (once per unit and community).' })
  registerUnitWithCommunity(@Arg('input') input: RegisterUnitInput, @Ctx() ctx: AppContext) {
    return servicePostService.registerUnit(ctx, input);
  }

  @FieldResolver(() => Unit)
  unit(@Root() registration: UnitRegistration, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Unit).load(registration.unit.id);
  }

  @FieldResolver(() => Community)
  community(@Root() registration: UnitRegistration, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(registration.community.id);
  }
}

@Resolver(() => ServicePost)
export class ServicePostResolver {
  @Query(() => ServicePostConnection, { description: '服务岗位: posts communities offer to reporting members.' })
  servicePosts(@Args() args: ServicePostListArgs, @Ctx() ctx: AppContext) {
    return servicePostService.listPosts(ctx, args);
  }

  @Query(() => PersonConnection, { description: '双报到: members (in-service party members and non-party staff) who reported to their residence community, by name.' })
  reportedMembers(@Args() args: ReportedMemberListArgs, @Ctx() ctx: AppContext) {
    return servicePostService.reportedMembers(ctx, args);
  }

  @Mutation(() => Person, {
    description: '双报到: a member reports to their residence community, joins a branch or group there and claims a service post, in one go.',
  })
  reportMember(@Arg('input') input: ReportMemberInput, @Ctx() ctx: AppContext) {
    return servicePostService.reportMember(ctx, input);
  }

  @Mutation(() => ServicePost)
  createServicePost(@Arg('input') input: CreateServicePostInput, @Ctx() ctx: AppContext) {
    return servicePostService.createPost(ctx, input);
  }

  @Mutation(() => ServicePost)
  updateServicePost(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateServicePostInput, @Ctx() ctx: AppContext) {
    return servicePostService.updatePost(ctx, id, input);
  }

  @Mutation(() => PostClaim, { description: 'A reported member claims a post of their community; CONFLICT when it is full or they hold it already; BAD_USER_INPUT (input.personId) when they are not reported to its community, or may no longer report (retired, mobile, or no employer on record).' })
  claimServicePost(@Arg('input') input: ClaimServicePostInput, @Ctx() ctx: AppContext) {
    return servicePostService.claimPost(ctx, input);
  }

  @Mutation(() => PostClaim, { description: 'The member leaves the post; the place becomes free. BAD_USER_INPUT (id) when it is the last post a reported member holds: claim another first.' })
  endPostClaim(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return servicePostService.endClaim(ctx, id);
  }

  @FieldResolver(() => Community)
  community(@Root() post: ServicePost, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Area).load(post.community.id);
  }

  @FieldResolver(() => RequestCategory, { nullable: true })
  category(@Root() post: ServicePost, @Ctx() ctx: AppContext) {
    return post.category ? ctx.loaders.byId(RequestCategory).load(post.category.id) : null;
  }

  @FieldResolver(() => PostClaimConnection, { description: 'Claims on this post, oldest first (ended ones too unless activeOnly).' })
  claims(@Root() post: ServicePost, @Args() args: PostClaimArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(args.activeOnly ? activeClaimsOfPost : claimsOfPost, post.id, args, BY_ID);
  }

  @FieldResolver(() => Int, { description: 'Places taken (active claims).' })
  claimCount(@Root() post: ServicePost, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(activeClaimsOfPost).load(post.id);
  }

  @FieldResolver(() => Int, { description: 'Places left: capacity minus active claims.' })
  async remaining(@Root() post: ServicePost, @Ctx() ctx: AppContext) {
    return Math.max(0, post.capacity - (await ctx.loaders.count(activeClaimsOfPost).load(post.id)));
  }
}

@Resolver(() => PostClaim)
export class PostClaimFieldsResolver {
  @FieldResolver(() => ServicePost)
  post(@Root() claim: PostClaim, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(ServicePost).load(claim.post.id);
  }

  @FieldResolver(() => Person)
  person(@Root() claim: PostClaim, @Ctx() ctx: AppContext) {
    return ctx.loaders.byId(Person).load(claim.person.id);
  }
}

@Resolver(() => Community)
export class CommunityReportingResolver {
  @FieldResolver(() => UnitRegistrationConnection, { description: '单位报到: units registered with this community, in registration order.' })
  registeredUnits(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(registrationsOfCommunity, community.id, args, BY_ID);
  }

  @FieldResolver(() => Int)
  registeredUnitCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(registrationsOfCommunity).load(community.id);
  }

  @FieldResolver(() => PersonConnection, { description: '双报到: members who reported to this community, by name.' })
  reportedMembers(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(reportedMembersOfCommunity, community.id, args, BY_NAME);
  }

  @FieldResolver(() => Int, { description: 'Members who reported to this community (双报到).' })
  reportedMemberCount(@Root() community: Community, @Ctx() ctx: AppContext) {
    return ctx.loaders.count(reportedMembersOfCommunity).load(community.id);
  }

  @FieldResolver(() => ServicePostConnection, { description: 'Service posts this community offers.' })
  servicePosts(@Root() community: Community, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(postsOfCommunity, community.id, args, BY_ID);
  }
}

@Resolver(() => Unit)
export class UnitRegistrationsResolver {
  @FieldResolver(() => UnitRegistrationConnection, { description: '单位报到: the communities this unit registered with.' })
  registrations(@Root() unit: Unit, @Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(registrationsOfUnit, unit.id, args, BY_ID);
  }
}

@Resolver(() => Person)
export class PersonPostClaimsResolver {
  @FieldResolver(() => PostClaimConnection, { description: 'Service posts this person holds or held, oldest claim first (ended ones too, with their endedOn, unless activeOnly).' })
  postClaims(@Root() person: Person, @Args() args: PostClaimArgs, @Ctx() ctx: AppContext) {
    return ctx.loaders.connection(args.activeOnly ? activeClaimsOfPerson : claimsOfPerson, person.id, args, BY_ID);
  }
}

import { GraphQLJSONObject } from 'graphql-scalars';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { freeTextFor, freeTextJsonFor } from '../../common/privacy';
import type { AppContext } from '../../context/context';
import { Activity } from '../activity/activity.entity';
import { Alliance } from '../alliance/alliance.entity';
import { Claim, ListItem, ProblemList } from '../list/list.entity';
import { MicroWish } from '../micro-wish/micro-wish.entity';
import { Pairing } from '../pairing/pairing.entity';
import { PointEntry } from '../points/points.entity';
import { LivelihoodProject, ProjectEvent, ProjectFunding, ProjectTemplate, ResourceNeed } from '../project/project.entity';
import { MatchedResource } from '../project/suggestion.types';
import { Request, RequestEvent } from '../request/request.entity';
import { ServicePost } from '../service-post/service-post.entity';
import { Whistle, WhistleRecipient } from '../whistle/whistle.entity';

// What residents and staff write goes out as this viewer may see it: as written for staff, with
// phone, ID and other long numbers masked for everyone else (analysts, unit liaisons, members,
// portals). Types and descriptions stay those of the entities' @Field declarations. Each resolver
// is a pure function of its root: no query, so no N+1.
// Not here: names and codes of areas, units and organisations (public), person fields
// (identity/personal-data.ts), account names (`actor`), catalogue texts without people in them
// (point rules), and figures and labels the services compute.

@Resolver(() => Request)
export class RequestFreeTextResolver {
  @FieldResolver(() => String)
  title(@Root() request: Request, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, request.title);
  }

  @FieldResolver(() => String)
  body(@Root() request: Request, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, request.body);
  }

  @FieldResolver(() => String, { nullable: true })
  ratingComment(@Root() request: Request, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, request.ratingComment);
  }

  @FieldResolver(() => String, { nullable: true })
  lastReason(@Root() request: Request, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, request.lastReason);
  }
}

@Resolver(() => RequestEvent)
export class RequestEventFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  note(@Root() event: RequestEvent, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, event.note);
  }

  // The fields the entry changed, as the ledger writes them (request.ledger.ts): `set.lastReason`
  // and `set.ratingComment` repeat the request's free text, so they are masked as it is.
  @FieldResolver(() => GraphQLJSONObject, { description: 'What changed besides the status (assignee, level, due time, rating, whistle).' })
  data(@Root() event: RequestEvent, @Ctx() ctx: AppContext): Record<string, unknown> {
    return freeTextJsonFor(ctx.viewer, event.data);
  }
}

@Resolver(() => Whistle)
export class WhistleFreeTextResolver {
  @FieldResolver(() => String)
  letter(@Root() whistle: Whistle, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, whistle.letter);
  }
}

@Resolver(() => WhistleRecipient)
export class WhistleRecipientFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  feedback(@Root() recipient: WhistleRecipient, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, recipient.feedback);
  }
}

@Resolver(() => ProblemList)
export class ProblemListFreeTextResolver {
  @FieldResolver(() => String)
  title(@Root() list: ProblemList, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, list.title);
  }
}

@Resolver(() => ListItem)
export class ListItemFreeTextResolver {
  @FieldResolver(() => String)
  title(@Root() item: ListItem, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, item.title);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() item: ListItem, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, item.description);
  }
}

@Resolver(() => Claim)
export class ClaimFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  note(@Root() claim: Claim, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, claim.note);
  }
}

@Resolver(() => MicroWish)
export class MicroWishFreeTextResolver {
  @FieldResolver(() => String)
  title(@Root() wish: MicroWish, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, wish.title);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() wish: MicroWish, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, wish.description);
  }
}

@Resolver(() => ServicePost)
export class ServicePostFreeTextResolver {
  @FieldResolver(() => String)
  title(@Root() post: ServicePost, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, post.title);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() post: ServicePost, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, post.description);
  }
}

@Resolver(() => Alliance)
export class AllianceFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  description(@Root() alliance: Alliance, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, alliance.description);
  }
}

@Resolver(() => Pairing)
export class PairingFreeTextResolver {
  @FieldResolver(() => String)
  agreementTitle(@Root() pairing: Pairing, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, pairing.agreementTitle);
  }

  @FieldResolver(() => [String])
  duties(@Root() pairing: Pairing, @Ctx() ctx: AppContext): string[] {
    return pairing.duties.map((duty) => freeTextFor(ctx.viewer, duty));
  }
}

@Resolver(() => Activity)
export class ActivityFreeTextResolver {
  @FieldResolver(() => String)
  title(@Root() activity: Activity, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, activity.title);
  }
}

@Resolver(() => PointEntry)
export class PointEntryFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  note(@Root() entry: PointEntry, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, entry.note);
  }
}

@Resolver(() => ProjectTemplate)
export class ProjectTemplateFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  description(@Root() template: ProjectTemplate, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, template.description);
  }
}

@Resolver(() => ResourceNeed)
export class ResourceNeedFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  note(@Root() need: ResourceNeed, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, need.note);
  }
}

@Resolver(() => LivelihoodProject)
export class LivelihoodProjectFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  acceptanceNote(@Root() project: LivelihoodProject, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, project.acceptanceNote);
  }

  // The suggestion as accepted repeats the titles of the resources it matched (list item titles).
  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The suggestion as accepted: its query, numbers, explanation, the run\'s totals and assumptions.' })
  suggestion(@Root() project: LivelihoodProject, @Ctx() ctx: AppContext): Record<string, unknown> | null {
    return freeTextJsonFor(ctx.viewer, project.suggestion ?? null);
  }
}

@Resolver(() => ProjectFunding)
export class ProjectFundingFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  note(@Root() funding: ProjectFunding, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, funding.note);
  }
}

@Resolver(() => ProjectEvent)
export class ProjectEventFreeTextResolver {
  @FieldResolver(() => String, { nullable: true })
  note(@Root() event: ProjectEvent, @Ctx() ctx: AppContext): string | null {
    return freeTextFor(ctx.viewer, event.note);
  }
}

// A RESOURCE list item's title, as the project suggestions repeat it.
@Resolver(() => MatchedResource)
export class MatchedResourceFreeTextResolver {
  @FieldResolver(() => String)
  title(@Root() match: MatchedResource, @Ctx() ctx: AppContext): string {
    return freeTextFor(ctx.viewer, match.title);
  }
}

/** Every free-text resolver class, for the module's list. */
export const FREE_TEXT_RESOLVERS: Function[] = [
  RequestFreeTextResolver,
  RequestEventFreeTextResolver,
  WhistleFreeTextResolver,
  WhistleRecipientFreeTextResolver,
  ProblemListFreeTextResolver,
  ListItemFreeTextResolver,
  ClaimFreeTextResolver,
  MicroWishFreeTextResolver,
  ServicePostFreeTextResolver,
  AllianceFreeTextResolver,
  PairingFreeTextResolver,
  ActivityFreeTextResolver,
  PointEntryFreeTextResolver,
  ProjectTemplateFreeTextResolver,
  ResourceNeedFreeTextResolver,
  LivelihoodProjectFreeTextResolver,
  ProjectFundingFreeTextResolver,
  ProjectEventFreeTextResolver,
  MatchedResourceFreeTextResolver,
];

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { freeTextFor } from '../../common/privacy';
import type { AppContext } from '../../context/context';
import { Request, RequestEvent } from '../request/request.entity';

// What residents write goes out as this viewer may see it: as written for staff, with phone, ID
// and other long numbers masked for everyone else (analysts, unit liaisons, members, portals).
// Types and descriptions stay those of the entities' @Field declarations.

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
}

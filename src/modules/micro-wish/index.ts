import { CommunityMicroWishesResolver, MicroWishResolver, PersonMicroWishesResolver, UnitMicroWishesResolver } from './micro-wish.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const MICRO_WISH_RESOLVERS: Function[] = [MicroWishResolver, CommunityMicroWishesResolver, UnitMicroWishesResolver, PersonMicroWishesResolver];

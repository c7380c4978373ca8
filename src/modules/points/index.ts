import { PersonPointsResolver, PointEntryResolver, PointRuleResolver, PointsLeaderboardEntryResolver } from './points.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const POINTS_RESOLVERS: Function[] = [PointRuleResolver, PointEntryResolver, PointsLeaderboardEntryResolver, PersonPointsResolver];

import { DemandHotspotResolver, DemandRankingRowResolver, DemandResolver } from './demand.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const DEMAND_RESOLVERS: Function[] = [DemandResolver, DemandRankingRowResolver, DemandHotspotResolver];

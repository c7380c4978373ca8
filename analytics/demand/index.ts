export * from './types';
export { rankDemand, CRITERIA, POLICY_METRICS, MAX_WEIGHT, POLICY_SHARE, TOPIC, evidenceId } from './rank';
export type { RankingMetric } from './rank';
export { warmFrames } from './frames';
export { demandSeries, demandHotspots, HOTSPOT } from './views';

export * from './types';
export { rankDemand, CRITERIA, POLICY_METRICS, MAX_WEIGHT, POLICY_SHARE, TOPIC, evidenceId } from './rank';
export type { RankingMetric } from './rank';
export { warmFrames } from './frames';
export { TREND_METHODS } from './trend';
export type { TrendMethod } from './trend';
export { demandSeries, demandHotspots, HOTSPOT } from './views';

/**
 * The vocabulary of the demand roll-ups analytics reads (src/modules/service-data/demand-rollups.ts
 * writes them with these same lists): table names, sources, group columns, histogram columns.
 */
import { CLOSE_HOURS_EDGES } from '../stats/histogram';

export const DEMAND_SOURCE = { SERVICE_RECORDS: 1, REQUESTS: 2 } as const;

/** Resident groups, their bit in record masks, and their per-group demand column. */
export const GROUP_COLUMNS: readonly [column: string, bit: number, group: string][] = [
  ['g_elderly', 1, 'ELDERLY'],
  ['g_children', 2, 'CHILDREN'],
  ['g_youth', 4, 'YOUTH'],
  ['g_women', 8, 'WOMEN'],
  ['g_disabled', 16, 'DISABLED'],
  ['g_low_income', 32, 'LOW_INCOME'],
  ['g_general', 64, 'GENERAL'],
];
/** Records with no known group appear as this group. */
export const UNKNOWN_GROUP = 'UNKNOWN';

/** ELDERLY, CHILDREN, DISABLED, LOW_INCOME: the groups whose share is "vulnerable". */
export const VULNERABLE_MASK = 1 | 2 | 16 | 32;

export const HISTOGRAM_COLUMNS = CLOSE_HOURS_EDGES.map((_, k) => `h${k}`);

/** A satisfaction rating from this value up counts as satisfied. */
export const SATISFIED_FROM = 4;

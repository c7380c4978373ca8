import { ResidentGroup } from '../../common/resident-group';

/**
 * Resident groups travel as a bitmask (smallint) in records and roll-ups: a record may
 * carry several groups, and keying roll-ups by the combination keeps totals exact (a
 * record is counted once per roll-up row, never once per group).
 */
export const GROUP_BITS: Readonly<Record<ResidentGroup, number>> = {
  [ResidentGroup.ELDERLY]: 1,
  [ResidentGroup.CHILDREN]: 2,
  [ResidentGroup.YOUTH]: 4,
  [ResidentGroup.WOMEN]: 8,
  [ResidentGroup.DISABLED]: 16,
  [ResidentGroup.LOW_INCOME]: 32,
  [ResidentGroup.GENERAL]: 64,
};

export const ALL_GROUPS = Object.keys(GROUP_BITS) as ResidentGroup[];

export function groupsToMask(groups: readonly ResidentGroup[] | null | undefined): number {
  let mask = 0;
  for (const group of groups ?? []) mask |= GROUP_BITS[group];
  return mask;
}

export function maskToGroups(mask: number): ResidentGroup[] {
  return ALL_GROUPS.filter((group) => (mask & GROUP_BITS[group]) !== 0);
}

/** `VALUES` list of (bit, name) for SQL that expands a mask into groups; bit 0 is "no group known". */
export const GROUP_VALUES_SQL = `(values (0, 'UNKNOWN'), ${ALL_GROUPS.map((g) => `(${GROUP_BITS[g]}, '${g}')`).join(', ')}) as grp(bit, name)`;

import { RequestLevel } from '../request/request.entity';
import type { RequestCategory } from './category.entity';

/** Hours allowed at each level when neither a category nor its parent says (限时办结). */
export const DEFAULT_HOURS: Record<RequestLevel, number> = {
  [RequestLevel.COMMUNITY]: 72,
  [RequestLevel.STREET]: 120,
  [RequestLevel.DISTRICT]: 240,
};

const HOURS_FIELD = {
  [RequestLevel.COMMUNITY]: 'communityHours',
  [RequestLevel.STREET]: 'streetHours',
  [RequestLevel.DISTRICT]: 'districtHours',
} as const;

/** The deadline in hours for a category at a level: its own, else its parent's, else the default. */
export function hoursAllowed(category: RequestCategory, parent: RequestCategory | null, level: RequestLevel): number {
  const field = HOURS_FIELD[level];
  return category[field] ?? parent?.[field] ?? DEFAULT_HOURS[level];
}

import { WorkCalendarResolver } from './calendar.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const CALENDAR_RESOLVERS: Function[] = [WorkCalendarResolver];

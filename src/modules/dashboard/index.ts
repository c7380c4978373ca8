import { DashboardResolver } from './dashboard.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const DASHBOARD_RESOLVERS: Function[] = [DashboardResolver];

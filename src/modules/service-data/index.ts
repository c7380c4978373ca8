import { ImportRunResolver, ServiceItemResolver } from './service-data.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const SERVICE_DATA_RESOLVERS: Function[] = [ServiceItemResolver, ImportRunResolver];

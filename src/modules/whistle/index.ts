import { RequestWhistlesResolver, WhistleRecipientFieldsResolver, WhistleResolver } from './whistle.resolver';

/** This module's resolver classes, registered in src/resolvers.ts. */
export const WHISTLE_RESOLVERS: Function[] = [WhistleResolver, WhistleRecipientFieldsResolver, RequestWhistlesResolver];

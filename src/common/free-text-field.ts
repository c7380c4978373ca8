import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { AppContext } from '../context/context';
import { freeTextJsonFor } from './privacy';

const maskForViewer: MiddlewareFn<AppContext> = async ({ context }, next) => freeTextJsonFor(context.viewer, await next());

/**
 * Marks a GraphQL field as free text that residents or staff write (a string, a list of strings or
 * JSON holding them): it goes out as written to staff, with phone, ID and other long numbers masked
 * for everyone else (analysts, unit liaisons, members, portals). Put it under the field's @Field:
 * the rule then lives beside the declaration, and a new free-text field is one decorator away.
 * A pure function of the resolved value: no query, so no N+1.
 * Not free text: names and codes of areas, units and organisations (public), person fields
 * (identity/personal-data.ts), account names (`actor`), catalogue texts without people in them.
 */
export const FreeText = () => UseMiddleware(maskForViewer);

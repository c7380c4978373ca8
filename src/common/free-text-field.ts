import { UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { AppContext } from '../context/context';
import { directoryRecordOutsideScope } from '../modules/identity/personal-data';
import { maskAccountName, maskFreeTextJson, maySeePersonalData } from './privacy';

const maskForViewer: MiddlewareFn<AppContext> = async ({ context, root }, next) => {
  const value = await next();
  if (value == null) return value;
  // As written for staff, unless the record is a directory entry of another area; masked for everyone else.
  const asWritten = maySeePersonalData(context.viewer) && !(await directoryRecordOutsideScope(context, root));
  return asWritten ? value : maskFreeTextJson(value);
};

/**
 * Marks a GraphQL field as free text that residents or staff write (a string, a list of strings or
 * JSON holding them): it goes out as written to staff inside their scope, with phone, ID and other
 * long numbers masked for everyone else (analysts, unit liaisons, members, portals, and staff
 * reading a directory entry of another area). Put it under the field's @Field: the rule then
 * lives beside the declaration, and a new free-text field is one decorator away. Only scoped
 * staff reading directory entries cost a query (one per type per tick, batched: no N+1).
 * Not free text: names and codes of areas, units and organisations (public), person fields
 * (identity/personal-data.ts), account names (`actor`), catalogue texts without people in them.
 */
export const FreeText = () => UseMiddleware(maskForViewer);

/**
 * Marks a String field holding who acted (`account:<username>`, see viewerId): as stored for viewers
 * who may see personal data, the account name masked for everyone else (maskAccountName).
 */
const maskAccountForViewer: MiddlewareFn<AppContext> = async ({ context }, next) => {
  const value = await next();
  return typeof value !== 'string' || maySeePersonalData(context.viewer) ? value : maskAccountName(value);
};
export const AccountName = () => UseMiddleware(maskAccountForViewer);

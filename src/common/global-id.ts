import { badInput } from './errors';

/**
 * Opaque Relay global IDs: base64url("Type:databaseId"). Clients must treat them as opaque;
 * the type prefix lets `node(id:)` find the right table and lets inputs reject an ID of the
 * wrong type with a clear error.
 */
export function toGlobalId(typeName: string, id: number): string {
  return Buffer.from(`${typeName}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  typeName: string;
  id: number;
}

export function fromGlobalId(globalId: string): DecodedGlobalId | null {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 200) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(decoded);
  if (!match) return null;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id) || id > 2147483647) return null;
  return { typeName: match[1], id };
}

/**
 * Decodes an ID argument that must point at one of `typeNames`, or throws BAD_USER_INPUT naming `field`.
 */
export function expectGlobalId(globalId: string, typeNames: readonly string[], field: string): DecodedGlobalId {
  const decoded = fromGlobalId(globalId);
  // Not echoed: what a caller typed where an ID belongs may be a phone or ID number.
  if (!decoded) throw badInput(field, 'is not a valid ID (use an id the API returned)');
  if (!typeNames.includes(decoded.typeName)) {
    throw badInput(field, `expected the ID of a ${typeNames.join(' or ')}, got the ID of a ${decoded.typeName}`);
  }
  return decoded;
}

/**
 * Cutting and checking text for storage. PostgreSQL counts characters (code points) and stores
 * half of a surrogate pair as U+FFFD: a cut inside a pair, or a lone half sent by a client, would
 * store something other than what was written.
 */

/** `text` cut to at most `max` characters (code points), never inside a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text; // UTF-16 units ≥ code points: nothing to cut (the usual case, cheap)
  let units = 0;
  for (let points = 0; points < max && units < text.length; points++) {
    const code = text.charCodeAt(units);
    const pair = code >= 0xd800 && code <= 0xdbff && units + 1 < text.length && (text.charCodeAt(units + 1) & 0xfc00) === 0xdc00;
    units += pair ? 2 : 1;
  }
  return text.slice(0, units);
}

/** Whether `text` has no lone surrogate (Node's native String.prototype.isWellFormed; ES2022's lib does not declare it). */
export function isWellFormedText(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

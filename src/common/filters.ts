/** Escapes LIKE wildcards so a search for "50%" matches the text "50%". */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%text%` for a case-insensitive contains match (works for Chinese: ILIKE compares characters). */
export function containsPattern(text: string): string {
  return `%${escapeLike(text.trim())}%`;
}

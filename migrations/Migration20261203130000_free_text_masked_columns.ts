import { Migration } from '@mikro-orm/migrations';

/**
 * maskFreeText as of this migration, pattern and PostgreSQL replacement in order: a frozen copy of
 * privacy.ts's FREE_TEXT_MASKS (a test holds maskedColumnExpression equal to maskFreeTextSqlExpression;
 * when the masks change, a new migration redefines the columns).
 */
const MASKS: readonly [pattern: string, replacement: string][] = [
  [String.raw`(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)+)`, String.raw`\1***@\2`],
  [String.raw`(?<![0-9０-９])([0-9０-９]{3})[0-9０-９]{11}([0-9０-９]{3}[0-9０-９XxＸｘ])(?![0-9０-９])`, String.raw`\1***********\2`],
  [String.raw`(?<![0-9０-９])((?:[+]?86[-\s]?)?[1１][3-9３-９][0-9０-９])[-\s]?[0-9０-９]{4}[-\s]?([0-9０-９]{4})(?![0-9０-９])`, String.raw`\1****\2`],
  [String.raw`(?<![0-9０-９])(0[0-9０-９]{2,3})[-\s]?[0-9０-９]{3,4}([0-9０-９]{4})(?![0-9０-９])`, String.raw`\1-****\2`],
  [String.raw`(?<![0-9０-９])[0-9０-９]{3,}([0-9０-９]{4})(?![0-9０-９])`, String.raw`****\1`],
];

/** `masks` applied to `column`: nested regexp_replace calls, literals as standard_conforming_strings reads them. */
export function maskExpression(masks: readonly (readonly [pattern: string, replacement: string])[], column: string): string {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return masks.reduce((inner, [pattern, replacement]) => `regexp_replace(${inner}, ${literal(pattern)}, ${literal(replacement)}, 'g')`, column);
}

/** The masked text of `column`, with this migration's masks. */
export const maskedColumnExpression = (column: string): string => maskExpression(MASKS, column);

/** The free text searched by viewers without the personal-data right, per table. */
export const MASKED: readonly [table: string, column: string][] = [
  ['request', 'title'],
  ['request', 'body'],
  ['list_item', 'title'],
  ['list_item', 'description'],
  ['service_post', 'title'],
];

/**
 * Stored masked copies of the searched free text (request.title_masked, …). The search of a viewer
 * without the personal-data right masked every row's text at query time in a subquery over the
 * whole table (3 s on 100k requests, whatever the scope); it now compares these columns on the
 * rows its other conditions leave. Adding a stored generated column rewrites the table once.
 */
export class Migration20261203130000_free_text_masked_columns extends Migration {
  override async up(): Promise<void> {
    for (const [table, column] of MASKED) {
      this.addSql(`alter table "${table}" add column "${column}_masked" text generated always as (${maskedColumnExpression(column)}) stored;`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, column] of MASKED) this.addSql(`alter table "${table}" drop column if exists "${column}_masked";`);
  }
}

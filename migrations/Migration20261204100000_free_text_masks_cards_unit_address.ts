import { Migration } from '@mikro-orm/migrations';
import { MASKED, maskExpression } from './Migration20261203130000_free_text_masked_columns';
import { maskedColumnExpression as previousExpression } from './Migration20261203150000_free_text_masks_grouped_numbers';

/**
 * maskFreeText as of this migration, pattern and PostgreSQL replacement in order: a frozen copy of
 * privacy.ts's FREE_TEXT_MASKS (a test holds maskedColumnExpression equal to maskFreeTextSqlExpression;
 * when the masks change, a new migration redefines the columns). Non-ASCII spaces, dashes and
 * invisible characters are written as \u escapes here; the strings hold the characters themselves.
 */
const MASKS: readonly [pattern: string, replacement: string][] = [
  ["(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*[@＠]([A-Za-z0-9-]+(?:[.．。][A-Za-z0-9-]+)+)", "\\1***@\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){2})(?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){11}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){2}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９XxＸｘ])(?![0-9０-９])", "\\1***********\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[3-69３-６９][0-9０-９]{3}(?:[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}[0-9０-９]{4}){2,3}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}([0-9０-９]{1,4})(?![0-9０-９])", "****\\1"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[3３][0-9０-９]{3}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}[0-9０-９]{6}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}([0-9０-９]{5})(?![0-9０-９])", "****\\1"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})((?:[+]?86[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})?[1１][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[3-9３-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]))(?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){3})(?![0-9０-９])", "\\1****\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[(（]?(0[0-9０-９]{2,3})[)）]?[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]{3,4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９]{4})(?![0-9０-９])", "\\1-****\\2"],
  ["((?:电话|座机|手机|联系方式|热线|[Tt][Ee][Ll])[：:]?[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})[0-9０-９]{3,4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９]{4})(?![0-9０-９])", "\\1****\\2"],
  ["(?<![0-9０-９])[0-9０-９]{3,}([0-9０-９]{4})(?![0-9０-９])", "****\\1"],
];

/** The masked text of `column`, with this migration's masks. */
export const maskedColumnExpression = (column: string): string => maskExpression(MASKS, column);

/** Free text with a stored masked copy from this migration on: the earlier ones and units' addresses. */
export const MASKED_COLUMNS: readonly [table: string, column: string][] = [...MASKED, ['unit', 'address']];

/**
 * The masks now also catch bank cards written in groups of four (6222 0202 0000 1234 567,
 * 6222-0202-0000-1234, full-width digits, no-break spaces) starting with 3, 4, 5, 6 or 9, and
 * Amex's 4-6-5 (3782 822463 10005), last group kept; and e-mail addresses typed with a
 * full-width at sign or dots (abc＠qq．com). Before, both were stored unmasked and a search could
 * probe them. PostgreSQL 15 cannot change a generated column's expression: each is dropped and
 * added again (the table is rewritten once). Units' addresses are free text too (shown masked
 * outside the staff's scope) and get their masked copy, which the units search compares.
 */
export class Migration20261204100000_free_text_masks_cards_unit_address extends Migration {
  override async up(): Promise<void> {
    this.redefine(maskedColumnExpression);
    this.addSql(`alter table "unit" add column "address_masked" text generated always as (${maskedColumnExpression('address')}) stored;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table "unit" drop column if exists "address_masked";');
    this.redefine(previousExpression);
  }

  private redefine(expression: (column: string) => string): void {
    for (const [table, column] of MASKED) {
      this.addSql(`alter table "${table}" drop column "${column}_masked", add column "${column}_masked" text generated always as (${expression(column)}) stored;`);
    }
  }
}

import { Migration } from '@mikro-orm/migrations';
import { MASKED_COLUMNS, maskedColumnExpression as previousExpression } from './Migration20261225100000_free_text_masks_personal_cues';

export { MASKED_COLUMNS };

/**
 * The last character of a plate before this migration, and after it (privacy.ts's PLATE_LAST_WORD):
 * 港 and 澳 only on a Guangdong Z plate of 4 characters, 领 only after 4 digits. Non-ASCII spaces
 * and invisible characters are written as \u escapes; the strings hold the characters themselves.
 */
const PREVIOUS_PLATE_LAST_WORD = '[学警挂])(?![A-Za-z0-9])';
const PLATE_LAST_WORD =
  '[学警挂]|(?<=粤[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]?Z[-－·・.． \u00a0\u3000\t\u200b\u200c\u200d\ufeff]?[A-HJ-NP-Za-hj-np-z0-9]{4})[港澳]'
  + '|(?<=[-－·・.． \u00a0\u3000\t\u200b\u200c\u200d\ufeff]?[0-9]{4})领)(?![A-Za-z0-9])';

/**
 * The masked text of `column`, with this migration's masks: the previous ones, a licence plate now
 * also ending in 港 or 澳 (粤Z1234港 → 粤Z***港) or 领 (沪A1234领 → 沪A***领). Derived from the previous migration's frozen masks
 * rather than a fourth copy of all 29 expressions; the one plate mask is the only change.
 */
export function maskedColumnExpression(column: string): string {
  const previous = previousExpression(column);
  const at = previous.indexOf(PREVIOUS_PLATE_LAST_WORD);
  if (at < 0 || previous.indexOf(PREVIOUS_PLATE_LAST_WORD, at + 1) >= 0) throw new Error('the previous masks hold the plate mask exactly once');
  return previous.replace(PREVIOUS_PLATE_LAST_WORD, PLATE_LAST_WORD);
}

/**
 * Plates of Hong Kong and Macau cars crossing into Guangdong (粤Z1234港, 粤Z·A123澳) and of consulates
 * (沪A1234领) were left whole in the masked copies portals read; they now mask like any plate. Each
 * masked column is dropped and added again, as PostgreSQL 15 cannot change a generated column's
 * expression.
 */
export class Migration20261227100000_free_text_masks_border_plates extends Migration {
  override async up(): Promise<void> {
    this.redefine(maskedColumnExpression);
  }

  override async down(): Promise<void> {
    this.redefine(previousExpression);
  }

  private redefine(expression: (column: string) => string): void {
    for (const [table, column] of MASKED_COLUMNS) {
      this.addSql(`alter table "${table}" drop column "${column}_masked", add column "${column}_masked" text generated always as (${expression(column)}) stored;`);
    }
  }
}

import { Migration } from '@mikro-orm/migrations';
import { MASKED_COLUMNS, maskedColumnExpression as previousExpression } from './Migration20261227100000_free_text_masks_border_plates';

export { MASKED_COLUMNS };

/**
 * The word a plate ends with before this migration, and after it (privacy.ts's PLATE_LAST_WORD): 学, 警, 挂 and 领
 * only after exactly 4 characters counted from the city letter, and not where they begin an ordinary word
 * (PLATE_WORD_NOT_END: 领导, 学习, 警察, 挂号). Non-ASCII spaces and invisible characters are written as \u escapes;
 * the strings hold the characters themselves.
 */
const SPACE = ' \u00a0\u3000\t\u200b\u200c\u200d\ufeff';
const PREVIOUS_PLATE_LAST_WORD =
  `[学警挂]|(?<=粤[${SPACE}]?Z[-－·・.．${SPACE}]?[A-HJ-NP-Za-hj-np-z0-9]{4})[港澳]`
  + `|(?<=[-－·・.．${SPACE}]?[0-9]{4})领)(?![A-Za-z0-9])`;
const PLATE_HEAD = `[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][${SPACE}]?[A-HJ-NP-Za-hj-np-z][-－·・.．${SPACE}]?`;
const PLATE_LAST_WORD =
  `(?<=${PLATE_HEAD}[A-HJ-NP-Za-hj-np-z0-9]{4})(?:学(?![习校生员院期费会历者位科区堂龄前徒业术问])|警(?![察方务官告示报惕戒犬员情卫种械力])|挂(?![号失靠牌钩名职帅账断念]))`
  + `|(?<=粤[${SPACE}]?Z[-－·・.．${SPACE}]?[A-HJ-NP-Za-hj-np-z0-9]{4})[港澳]`
  + `|(?<=${PLATE_HEAD}[0-9]{4})领(?![导取事域袖先带队班头证养会略悟土空海衔唱跑奖款钱]))(?![A-Za-z0-9])`;

/**
 * The masked text of `column`, with this migration's masks: the previous ones, a plate's word (学 警 挂 领) now only
 * after exactly 4 characters and not where it begins a word. Derived from the previous migration's frozen masks; the
 * one plate mask is the only change.
 */
export function maskedColumnExpression(column: string): string {
  const previous = previousExpression(column);
  const at = previous.indexOf(PREVIOUS_PLATE_LAST_WORD);
  if (at < 0 || previous.indexOf(PREVIOUS_PLATE_LAST_WORD, at + 1) >= 0) throw new Error('the previous masks hold the plate mask exactly once');
  return previous.replace(PREVIOUS_PLATE_LAST_WORD, () => PLATE_LAST_WORD);
}

/**
 * A plate of 5 characters before a word starting with 学, 警, 挂 or 领 (鲁A12345领导) was masked as a plate of 4 and
 * its word (鲁A***领导: the last digit hidden, the word's first character taken into the plate), and 4 characters
 * before such a word (鲁A1234领导, no plate) were masked as one; the masked copies portals read and search now read as
 * maskFreeText does (鲁A***5领导, 鲁A1234领导). Each masked column is dropped and added again, as PostgreSQL 15 cannot
 * change a generated column's expression.
 */
export class Migration20261231100000_free_text_masks_plate_words extends Migration {
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

import { Migration } from '@mikro-orm/migrations';
import { MASKED_COLUMNS, maskedColumnExpression as previousExpression } from './Migration20261231100000_free_text_masks_plate_words';

export { MASKED_COLUMNS };

/**
 * The word a plate ends with before this migration, and after it (privacy.ts's PLATE_LAST_WORD): after exactly 4
 * characters counted from the city letter, and no longer only where it begins no ordinary word (the previous list of
 * words, 学员 among them, left 苏E1234学员 unmasked). Non-ASCII spaces and invisible characters are written as \u
 * escapes; the strings hold the characters themselves.
 */
const SPACE = ' \u00a0\u3000\t\u200b\u200c\u200d\ufeff';
const PLATE_HEAD = `[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][${SPACE}]?[A-HJ-NP-Za-hj-np-z][-－·・.．${SPACE}]?`;
const PREVIOUS_PLATE_LAST_WORD =
  `(?<=${PLATE_HEAD}[A-HJ-NP-Za-hj-np-z0-9]{4})(?:学(?![习校生员院期费会历者位科区堂龄前徒业术问])|警(?![察方务官告示报惕戒犬员情卫种械力])|挂(?![号失靠牌钩名职帅账断念]))`
  + `|(?<=粤[${SPACE}]?Z[-－·・.．${SPACE}]?[A-HJ-NP-Za-hj-np-z0-9]{4})[港澳]`
  + `|(?<=${PLATE_HEAD}[0-9]{4})领(?![导取事域袖先带队班头证养会略悟土空海衔唱跑奖款钱]))(?![A-Za-z0-9])`;
const PLATE_LAST_WORD =
  `(?<=${PLATE_HEAD}[A-HJ-NP-Za-hj-np-z0-9]{4})[学警挂]`
  + `|(?<=粤[${SPACE}]?Z[-－·・.．${SPACE}]?[A-HJ-NP-Za-hj-np-z0-9]{4})[港澳]`
  + `|(?<=${PLATE_HEAD}[0-9]{4})领)(?![A-Za-z0-9])`;

/**
 * The masked text of `column`, with this migration's masks: the previous ones, a plate's word (学 警 挂 领, 港 澳) after
 * exactly 4 characters whatever word follows it. Derived from the previous migration's frozen masks; the one plate mask
 * is the only change.
 */
export function maskedColumnExpression(column: string): string {
  const previous = previousExpression(column);
  const at = previous.indexOf(PREVIOUS_PLATE_LAST_WORD);
  if (at < 0 || previous.indexOf(PREVIOUS_PLATE_LAST_WORD, at + 1) >= 0) throw new Error('the previous masks hold the plate mask exactly once');
  return previous.replace(PREVIOUS_PLATE_LAST_WORD, () => PLATE_LAST_WORD);
}

/**
 * A plate of 4 characters and its word before a word that word begins (苏E1234学员: the learner car 苏E1234学 and its
 * learners; 鲁A1234领导) was left as written; the masked copies portals read and search now read as maskFreeText does
 * (苏E***学员, 鲁A***领导). Each masked column is dropped and added again, as PostgreSQL 15 cannot change a generated
 * column's expression.
 */
export class Migration20270101300000_free_text_masks_plates_before_any_word extends Migration {
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

/**
 * The words that introduce a person's name in residents' texts, and the honorifics that follow a
 * surname, in one place: the text analytics cut names out of the texts they segment
 * (text/privacy.ts), and maskFreeText masks them in free text shown to viewers who may not see
 * personal data (src/common/privacy.ts). Plain words, joined into regular expressions by each:
 * they must mean the same in JavaScript and in PostgreSQL's (the search compares stored copies
 * PostgreSQL masks), so no escapes and no classes here.
 */

/** Cues a name follows (我叫王建国, 联系人：张桂英). A longer cue before one it starts with (联系人姓名 before 联系人). */
export const NAME_CUE_WORDS: readonly string[] = ['我叫', '我是', '本人叫', '本人姓名', '姓名', '名叫', '联系人姓名', '联系人', '户主', '申请人', '当事人'];

/** What follows a surname as a way of addressing someone (王阿姨, 李师傅, 张某某), not as a given name. */
export const HONORIFIC_WORDS = '先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大哥|大姐|奶奶|爷爷|师傅|老师|经理|书记|主任|同志|医生|律师|警官|某某?';

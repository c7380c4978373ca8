/**
 * The words that introduce a person's name in residents' texts, and the honorifics that follow a
 * surname, in one place: the text analytics cut names out of the texts they segment
 * (text/privacy.ts), and maskFreeText masks them in free text shown to viewers who may not see
 * personal data (src/common/privacy.ts). Plain words, and one pattern both use
 * (nameAfterCuePattern): it must mean the same in JavaScript and in PostgreSQL's regular
 * expressions (the search compares stored copies PostgreSQL masks), so no escapes here.
 */
import { BAIJIAXING_SURNAMES, COMMON_SURNAMES, COMPOUND_SURNAMES } from './surnames';

/**
 * Cues a name follows (我叫王建国, 联系人：张桂英, 投诉人李秀英). A longer cue before one it starts with
 * (联系人姓名 before 联系人). The roles of a complaint (投诉人, 反映人, 来电人, …) name the resident who
 * wrote or called; 投诉人员 and 反映人称 stay, as 员 and 称 are no surnames.
 */
export const NAME_CUE_WORDS: readonly string[] = [
  '我叫', '本人叫', '本人姓名', '姓名', '名叫', '联系人姓名', '联系人', '户主', '申请人', '当事人',
  '投诉人', '反映人', '来电人', '报修人', '求助人', '举报人', '报案人',
  // A guardian, a principal and an agent (监护人王建国, 委托人罗伟红, 委托代理人胡杨): in the 2020 Teddy Cup messages never
  // a word before a surname character.
  '监护人', '委托人', '代理人',
];

/**
 * Cues a name follows only with a colon after them (业主：王建国, 车主：王建国). Bare, they begin sentences far
 * more often than names (业主安全, 业主有权, 业主公摊, 住户家中: in the 2020 Teddy Cup messages every
 * bare 业主 before a surname character was such a word, none a name; 车主和物业, 房主和租户, 家属陈述, 车主满意。:
 * a bare role word before a name cannot be told from one before a word, even where what follows ends as a name does).
 * Only roles whose colon is followed by a name more often than not: 患者, 老人 and 家长 are as often followed by
 * what they have or do (患者：高血压, 老人：高龄独居) and are no cues. 负责人 and 受害人 are, though a description
 * may follow them too (负责人：明天来 → 负责人：明**): in the 2020 Teddy Cup messages their colons were followed by
 * five names (原负责人:冯求建, 项目负责人：向冬云, 受害人：韩新学) and no word, and a word masked is the lesser harm.
 */
export const NAME_CUE_WORDS_BEFORE_COLON: readonly string[] = [
  '业主', '住户', '租户', '房东', '车主', '房主', '家属', '产权人', '承租人', '租客', '收件人', '收货人', '负责人', '受害人',
];

/**
 * Cues that as often introduce a place or a role as a name (我是张坤树，男 but 我是江山帝景小区业主,
 * 我是广铁集团铁路职工: in the 2020 Teddy Cup messages 84 of 94 matches after 我是 were such words).
 * What follows one is taken for a name when it ends where a name does (a mark, a space, a digit, a
 * line's end, or a word that goes on from a name: 我是刘桂兰想反映, 我是王建国住在) or when no word
 * of a place or a role comes in the next few characters; else it is a place or a role and stays.
 */
export const NAME_CUE_WORDS_PLACE_OR_NAME: readonly string[] = ['我是'];
/**
 * Characters a name ends at, besides the caller's separators (colons, spaces): marks, brackets,
 * digits, Latin letters and line ends (the newline and carriage return are the characters
 * themselves: no escapes, see the file's header). The dash last, so it is no range.
 */
const NAME_END_MARKS = '，,。.、；;！!？?）)」』”"（(【～~…—/·‘’0-9０-９A-Za-z\n\r-';
/** Where the window for a place or role word after 我是 stops, besides the caller's separators: a clause's end. */
const CLAUSE_ENDS = '，,。、；;！!？?\n\r';
/** Words that go on from a name after 我是 (住在, 想反映, 今年, 电话, 男): the name ended before them. Not 的 or 家 (我是广铁的一名职工, 我是王井家搬迁户). */
const AFTER_NAME_WORDS =
  '住|家住|现住|居住|系|是|本|我|想|要|在|向|来电|今年|现年|电话|手机|联系|反映|投诉|咨询|请问|男|女|' +
  '老婆|老公|妻子|丈夫|爱人|儿子|女儿|父亲|母亲|[一二三四五六七八九十]';
/** Words of a place or a role that say what follows 我是 is none of a name (小区, 集团, 业主, 西地省). */
const PLACE_OR_ROLE_WORDS =
  '小区|花园|家园|新村|新城|公寓|大厦|广场|雅苑|华苑|花苑|名苑|庭院|之城|帝景|街道|社区|集团|公司|企业|单位|银行|学校|大学|学院|中学|小学|' +
  '医院|物业|中心|协会|委员会|公园|宾馆|酒店|业主|职工|员工|居民|村民|住户|租户|老师|学生|家长|党员|干部|号楼|单元|一名|一位|村委|乡镇|[一二三四五六七八九]期|[省市县区]';

/** What follows a surname as a way of addressing someone (王阿姨, 李师傅, 张某某), not as a given name. */
export const HONORIFIC_WORDS = '先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大哥|大姐|奶奶|爷爷|师傅|老师|经理|书记|主任|同志|医生|律师|警官|某某?';

/** A Chinese character (the basic block and extension A, where rare characters of given names are). */
const HANZI = '[㐀-䶿一-鿿]';
/** Every single-character surname of the 百家姓 (with 肖, 付, 覃), once each. */
const SINGLE_SURNAMES = [...new Set([...BAIJIAXING_SURNAMES, ...COMMON_SURNAMES])].join('');
/**
 * Words after a cue that start with a surname character and are no name: 我是党员, 我是居民,
 * 请留下姓名和电话. A short list of the frequent ones; anything else that starts with a surname
 * is taken for a name (a word too many masked is acceptable, a name shown is not). After the bare legal roles
 * (监护人, 委托人, 代理人) what a person does or has: 委托人安排, 委托人申请, 代理人费用, 监护人严重失职, 委托人向法院, 监护人应尽.
 * 和, 有, 从, 经, 都 and 须 are rare surnames and everyday words (监护人和家人, 委托人和代理人, 联系人和电话, 监护人有权,
 * 委托人从未, 代理人经协商, 监护人都不管, 委托人须): never a name directly after a cue (联系人王伟和李娜 is untouched: the
 * 和 there follows the name, see chainedNamePattern). 权益, 权利, 利益 and 管理 begin with surnames too (车位的车主权益).
 */
const NO_NAME_AFTER_CUE =
  '党员|居民|家属|家人|家长|家住|家中|家里|家庭|居住|居然|房东|房主|房屋|干部|单位|公司|公开|公布|公然|' +
  '和|有|从|经|都|须|应当|应该|应[尽负承按向在于及依予对由履支自与]|' +
  '相信|相关|相应|相互|强行|强烈|强调|强制|通过|通知|于今年|于今日|于今天|于是|曾经多次|曾多次|农民|文盲|年过|' +
  '权益|权利|利益|管部门|管理|安排|安装|安置|申请|申诉|申报|支付|支持|支出|付款|付费|费用|全权|全部|全程|全家|' +
  '严重|严格|严厉|向(?:法院|法庭|公安|有关|相关|物业|社区|街道|政府|银行|对方|本人|我|他|她|其)|能够|能否|' +
  '解决|解释|解除|明确|明知|查看|查询|查处|查明|符合|怀疑|宣称|督促|关于|关注|包括|尚未|连续|后来|尤其|何时|何在|成为|满意';

/** A surname: a compound one, else any single one (compound first: JavaScript takes the first alternative). */
const SURNAME = `(?:${COMPOUND_SURNAMES.join('|')}|[${SINGLE_SURNAMES}])`;
/**
 * A given name: one or two characters; the second not a 和, 与 or 及 before a surname, which joins a
 * second name (联系人王伟和李娜: 伟 alone, so the chained-name rule finds 和李娜). Or written with spaces
 * (王 建 国, 王 建国): one or two of `spaces` after the surname, and up to two between the characters. A
 * space inside the name only after one after the surname: 王伟 电话 keeps its word (王** 电话), as before.
 */
const givenName = (spaces: string) =>
  `(?:${HANZI}(?:(?![和与及]${SURNAME})${HANZI})?|[${spaces}]{1,2}${HANZI}(?:[${spaces}]{0,2}(?![和与及]${SURNAME})${HANZI})?)`;
/** No honorific after the surname, spaces before it or not (王阿姨, 王 先生). */
const noHonorific = (spaces: string) => `(?![${spaces}]{0,2}(?:${HONORIFIC_WORDS}))`;
/** The spaces of a caller's separators (its colons left out), what may stand inside a name. */
const spacesOf = (separators: string) => separators.replace(/[：:]/g, '');

/**
 * A name after a cue (联系人王建国, 联系人：张桂英, 户主为李秀英, 我叫欧阳娜娜), as a regular
 * expression's source: the cue, up to three of `separators` (a character class's body: the
 * colons and spaces the caller's text may hold) and an optional 为 or 是 (group 1), then the
 * surname (group 2: a compound surname, else any single one) and one or two characters after it,
 * the given name. Only after a surname: 联系人为社区书记 and 我是社区党员 do not match. A surname
 * and an honorific (联系人王阿姨, 李师傅) does not: it names no one outside the people who already
 * know them. Two characters are taken even when the name has one (联系人王伟电话 → 王伟电): a
 * character too many, never one too few; only a 和, 与 or 及 before a surname is left to join the
 * next name (see givenName, chainedNamePattern). The cues of NAME_CUE_WORDS_BEFORE_COLON count
 * only before a colon (业主：王建国, not 业主安全), those of NAME_CUE_WORDS_PLACE_OR_NAME not before a place
 * or a role (我是张坤树，, 我是刘桂兰想反映, not 我是江山帝景小区). Deterministic in both engines: longer cues and compound
 * surnames come first (JavaScript takes the first alternative that matches, PostgreSQL the
 * longest match, and these agree).
 */
export function nameAfterCuePattern(separators: string): string {
  // A cue of NAME_CUE_WORDS_PLACE_OR_NAME looks ahead: a surname and one or two characters that end
  // where a name does, or no place or role word after the surname before the clause ends (the
  // window starts after it: 路 of 我是路建国 is a surname). The name itself is then matched as after
  // any cue. Only words of two characters or more, and 省 市 县 区, say place: 镇, 路, 村 are in
  // given names too (我是张镇江的家属).
  const lead = `[${separators}]{0,3}(?:[为是][${separators}]{0,3})?`;
  const placeOrName =
    `(?:${NAME_CUE_WORDS_PLACE_OR_NAME.join('|')})` +
    `(?:(?=${lead}${SURNAME}${HANZI}{1,2}(?:[${separators}${NAME_END_MARKS}]|${AFTER_NAME_WORDS}|$))|(?!${lead}${SURNAME}[^${separators}${CLAUSE_ENDS}]{0,7}(?:${PLACE_OR_ROLE_WORDS})))`;
  const cue =
    `(?:${NAME_CUE_WORDS.join('|')}|(?:${NAME_CUE_WORDS_BEFORE_COLON.join('|')})(?=[${separators}]{0,3}[：:])|${placeOrName})`;
  const spaces = spacesOf(separators);
  return `(${cue}${lead})(?!${NO_NAME_AFTER_CUE})(${SURNAME})${noHonorific(spaces)}${givenName(spaces)}`;
}

/** How many passes of chainedNamePattern each caller makes: up to four names after one cue are masked. */
export const CHAINED_NAME_PASSES = 3;

/**
 * A name chained to a name already masked (联系人王**、李秀英, 联系人：王**，李秀英, 王**和李秀英), as a
 * regular expression's source: `masked` (what the caller's name mask leaves, at its end), a 、 ， ,
 * 和 与 or 及 with up to three of `separators` either side (group 1), then a name as after a cue (the
 * surname group 2). Only directly after a masked name: a list of names after one cue. Each pass
 * masks one more name of the list (JavaScript and PostgreSQL match on the text before the pass).
 */
export function chainedNamePattern(separators: string, masked: string): string {
  const spaces = spacesOf(separators);
  return `(${masked}[${separators}]{0,3}[、，,和与及][${separators}]{0,3})(?!${NO_NAME_AFTER_CUE})(${SURNAME})${noHonorific(spaces)}${givenName(spaces)}`;
}

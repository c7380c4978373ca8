/**
 * Masking of personal data, in one place: personal fields (phone, ID number, name) and the
 * personal data residents write into free text.
 */
import {
  CHAINED_NAME_PASSES, CHINESE_DIGIT_FORMS, LIST_MARKER_STYLES, MIN_NUMERAL_RUN, NUMBER_GROUP_MARKS, NUMBER_JOINERS, NUMBER_SPACES, NUMERAL_WORD, OTHER_DIGIT_FORMS, OWN_STYLE_DIGIT_STYLES, chainedNamePattern, nameAfterCuePattern,
} from '../../analytics';
import type { Viewer } from '../context/context';
import { PERSONAL_DATA_ROLES } from '../modules/identity/access.policy';
import { containsPattern } from './filters';

/** 13812345678 → 138****5678; landlines keep area code and last 4: 0531-****1234. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  const landline = /^(0\d{2,3})-?(\d{7,8})$/.exec(phone);
  if (landline) return `${landline[1]}-****${landline[2].slice(-4)}`;
  return digits.length > 4 ? `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}` : '****';
}

/** 370102199001011234 → 370***********1234: region prefix and last four only, never the birth date. */
export function maskIdNumber(idNumber: string | null | undefined): string | null {
  if (!idNumber) return null;
  if (idNumber.length < 8) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** 张三丰 → 张**: a resident's name keeps its first character only. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const characters = [...name.trim()];
  return characters.length <= 1 ? '*' : `${characters[0]}${'*'.repeat(characters.length - 1)}`;
}

/** A digit as residents type it: ASCII or full-width (Chinese input methods give both). */
const DIGIT = '[0-9０-９]';
/** Spaces people and pasted text put between digit groups: also no-break, ideographic and zero-width ones. */
const SPACE = NUMBER_SPACES;
/** Joiners between digit groups: hyphens and dashes (also full-width), dots. */
const JOINER = NUMBER_JOINERS;
/**
 * What people put between the digits of a number (138 1234 5678, 370102-19900101-1234,
 * 138.1234.5678). Written out, not \s: JavaScript's \s takes the no-break space and PostgreSQL's
 * does not, and the stored masked copies the search compares must mask exactly as the display does.
 * (A hyphen first in a class is itself in both.)
 */
const SEPARATOR = `[${JOINER}${SPACE}]`;
/** Between two digits of one number: up to three separators (138 - 1234 - 5678). */
const GAP = `${SEPARATOR}{0,3}`;
/** The next digit of a number, separators allowed before it. */
const NEXT_DIGIT = `(?:${GAP}${DIGIT})`;
/**
 * A number starts where no digit comes just before it, nor a digit and a joiner: not inside a
 * longer run such as a list of dates (2024-01-01 2024-02-01) or a range. After a digit and spaces
 * it may (a room number, then a phone: 1202 138-1234-5678).
 */
const NUMBER_START = `(?<!${DIGIT})(?<!${DIGIT}${SEPARATOR}{0,2}[${JOINER}]${SEPARATOR}{0,2})`;
const NUMBER_END = `(?!${DIGIT})`;
/** Between the groups of a card number: one or two spaces or dashes (a dot would join decimals and ranges into one). */
const CARD_GAP = `[-－‐‑–—${SPACE}]{1,2}`;
/**
 * What an amount of money ends with (1020408元, (4500000)万元, 3000000块钱): a run of digits before
 * it, a bracket between or not, is no personal number. Not 元旦 (88776655元旦后有人), and not 万, 块 or
 * 亿 alone, which begin words (88776655万一没人接, 一块).
 */
const MONEY_AFTER = '元(?!旦)|万元|亿元|块钱';
/** What a time follows a dot with (88776655.12点后打, 6222021234567890123.5月到期): no cents. */
const TIME_AFTER_DOT = '点|时|月|日|号';

/**
 * Digits written in other forms (see analytics/text/data/numerals.ts): Arabic-Indic (١٣٨), Extended
 * Arabic-Indic (۱۳۸), mathematical (𝟏𝟑𝟖), circled (①③⑧), bracketed (⑴), full-stop (⒈), superscript (¹) and
 * subscript (₁) ones, and Chinese numerals as a hotline transcript writes a number digit by digit (一三八, 幺 for 1,
 * 两 for 2, 〇 or 零 for 0) or a form in financial numerals (壹叁捌). Each class
 * below holds the characters themselves, as PostgreSQL needs.
 */
const FORMS_OF = (digit: number) => `${digit}${String.fromCharCode(0xff10 + digit)}${OTHER_DIGIT_FORMS[digit]}${CHINESE_DIGIT_FORMS[digit]}`;
/**
 * The body of a character class holding `characters`, three or more consecutive ones as a range
 * (0-9, ٠-٩, 𝟎-𝟿), so the patterns stay readable. Only for digits: no -, ], ^ or \ among them.
 */
function classOf(characters: string): string {
  const codes = [...new Set([...characters].map((character) => character.codePointAt(0)!))].sort((a, b) => a - b);
  let body = '';
  for (let i = 0; i < codes.length; ) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j] + 1) j++;
    body += j - i >= 2 ? `${String.fromCodePoint(codes[i])}-${String.fromCodePoint(codes[j])}` : String.fromCodePoint(...codes.slice(i, j + 1));
    i = j + 1;
  }
  return body;
}
const ALL_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** One digit of the given values, in any form (ASCII, full-width or another). */
const ANY_FORM_OF = (...digits: number[]) => `[${classOf(digits.map(FORMS_OF).join(''))}]`;
const ANY_FORM_DIGIT = ANY_FORM_OF(...ALL_DIGITS);
/** The last character of an ID number in any form: a digit or X. */
const ANY_FORM_ID_END = `[${classOf(ALL_DIGITS.map(FORMS_OF).join(''))}XxＸｘ]`;
const ANY_FORM_NEXT_DIGIT = `(?:${GAP}${ANY_FORM_DIGIT})`;
/**
 * A list-marker, superscript or subscript digit (OWN_STYLE_DIGIT_STYLES) that makes a number of another form: one with
 * a digit of its own style after it (⑴⑶, ¹³). Before a digit of another form it is a marker, a power or a footnote
 * (⒈ 2024.12.31, ①2024.12.31, 120m² 2024-12-31), and the masks of other forms leave the ASCII digits after it to the
 * ASCII masks, which tell dates and amounts. Only where a number's other form is looked for: a lookahead, so each place
 * the masks start at costs the same.
 */
const OWN_STYLE_NUMBER_DIGIT = OWN_STYLE_DIGIT_STYLES.map((style) => `[${classOf(style.join(''))}](?=${GAP}[${classOf(style.join(''))}])`).join('|');
/** The digits of other forms but those of OWN_STYLE_DIGIT_STYLES. */
const unstyled = (forms: string) => [...forms].filter((form) => !OWN_STYLE_DIGIT_STYLES.some((style) => style.includes(form))).join('');
/** A digit in a form other than ASCII and full-width, that makes a number of other forms (see OWN_STYLE_NUMBER_DIGIT). */
const OTHER_FORM_DIGIT = `(?:[${classOf(unstyled(OTHER_DIGIT_FORMS.join('')) + CHINESE_DIGIT_FORMS.join(''))}]|${OWN_STYLE_NUMBER_DIGIT})`;
/**
 * A digit that is no word: any form but the Chinese numerals. A number in other forms starts and
 * ends where none is beside it; a Chinese numeral may be, as it begins or ends words
 * (一三八一二三四五六七八一直没人接, 两个, 第一). One character, as PostgreSQL rescans for longer lookbehinds.
 */
const DIGIT_NO_WORD = `[${classOf(`0123456789０１２３４５６７８９${OTHER_DIGIT_FORMS.join('')}`)}]`;
const OTHER_FORMS_START = `(?<!${DIGIT_NO_WORD})`;
const OTHER_FORMS_END = `(?!${DIGIT_NO_WORD})`;
/**
 * One of the next `count` digits (separators between them allowed) is written in another form:
 * numbers in ASCII and full-width digits alone are left to the masks after, which read them as before.
 */
const otherFormWithin = (count: number) => `(?=(?:${DIGIT}${GAP}){0,${count - 1}}${OTHER_FORM_DIGIT})`;
/** A digit in a form that is no word: Arabic-Indic, mathematical, or circled and the like among digits of their style (see OWN_STYLE_NUMBER_DIGIT). */
const NO_WORD_OTHER_FORM_DIGIT = `(?:[${classOf(unstyled(OTHER_DIGIT_FORMS.join('')))}]|${OWN_STYLE_NUMBER_DIGIT})`;
/** A Chinese numeral (一, 〇, 幺…). */
const CHINESE_NUMERAL = `[${classOf(CHINESE_DIGIT_FORMS.join(''))}]`;
/**
 * A run of digits (separators between them allowed) written in other forms, for the masks of any
 * run below: one of its first 19 digits is in a form that is no word, or begins three in other forms
 * (一三八, 〇五三一), or is a Chinese numeral between two ASCII or full-width digits (4111 1一11 1111
 * 1111: a digit typed in words, no word). One or two Chinese numerals after ASCII digits begin a word
 * (房号1201 1202 1203一起, 1203两三户, 6000一平) and make no number of them. Looked for in the first 19 digits only, so each
 * place the masks start at costs the same (a run with other forms further on has its ASCII digits
 * masked by the ASCII masks).
 */
const OTHER_FORMS_RUN =
  `(?=(?:${ANY_FORM_DIGIT}${GAP}){0,18}(?:${NO_WORD_OTHER_FORM_DIGIT}|${OTHER_FORM_DIGIT}(?:${GAP}${OTHER_FORM_DIGIT}){2}|${DIGIT}${GAP}${CHINESE_NUMERAL}${GAP}${DIGIT}))`;
/**
 * A list's markers (①②③…⑨, ➀ ➁ ➂…, ⑴⑵⑶…, ⒈⒉⒊…), a whole run of marker digits of one style, each above the
 * one before: no number.
 */
const CIRCLED_LIST = `(?!(?:${LIST_MARKER_STYLES.map((style) => style.filter(Boolean).map((marker) => `(?:${GAP}${marker})?`).join('')).join('|')})(?!${GAP}${DIGIT_NO_WORD}))`;
/** A digit a list numbers its items with (①, ➀, ⑴, ⒈…): a CIRCLED_LIST only where one starts, as it takes no marker too. */
const LIST_MARKER = `[${classOf(LIST_MARKER_STYLES.flat().join(''))}]`;
/**
 * A run of any-form digits with separators between them (GAP, as the ASCII masks read them), as many
 * digits before its last four as `before` says (a quantifier of ANY_FORM_NEXT_DIGIT, the first digit
 * not counted: '{6,}' is 7 or more), the last four kept in group 1. The run starts and ends where no
 * digit in any form is beside it.
 */
const anyFormRun = (before: string) =>
  `(?<!${ANY_FORM_DIGIT})${OTHER_FORMS_RUN}${ANY_FORM_DIGIT}${before}${GAP}(${ANY_FORM_DIGIT}${ANY_FORM_NEXT_DIGIT}{3})(?!${ANY_FORM_DIGIT})`;
/** A birth date in digits of any form, YYYYMMDD or YYMMDD, as MONTH_DAY and YYYYMMDD below read ASCII ones. */
const ANY_FORM_MONTH_DAY =
  `(?:${ANY_FORM_OF(0)}${ANY_FORM_OF(1, 2, 3, 4, 5, 6, 7, 8, 9)}|${ANY_FORM_OF(1)}${ANY_FORM_OF(0, 1, 2)})` +
  `(?:${ANY_FORM_OF(0)}${ANY_FORM_OF(1, 2, 3, 4, 5, 6, 7, 8, 9)}|${ANY_FORM_OF(1, 2)}${ANY_FORM_DIGIT}|${ANY_FORM_OF(3)}${ANY_FORM_OF(0, 1)})`;
const ANY_FORM_YYYYMMDD = `(?:${ANY_FORM_OF(1)}${ANY_FORM_OF(9)}|${ANY_FORM_OF(2)}${ANY_FORM_OF(0)})${ANY_FORM_DIGIT}{2}${ANY_FORM_MONTH_DAY}`;
const ANY_FORM_YYMMDD = `${ANY_FORM_DIGIT}{2}${ANY_FORM_MONTH_DAY}`;
/** Whether the next `characters` (digits, brackets, spaces and group marks) reach a digit in another form. */
const otherFormAmong = (characters: number) => `(?=[0-9０-９(（)）${SPACE}${GROUP_MARK}]{0,${characters}}${OTHER_FORM_DIGIT})`;

/** A name after a cue (联系人王建国 → group 1 联系人, group 2 王), the rule the text analytics scrub by too: see nameAfterCuePattern. */
const NAME_AFTER_CUE = nameAfterCuePattern(`：:${SPACE}`);
/** A name listed after one masked so (联系人王**、李秀英 → 联系人王**、李**): see chainedNamePattern. */
const CHAINED_NAME = chainedNamePattern(`：:${SPACE}`, '[*][*]');

/**
 * Marks that also separate the groups of a number (138/1234/5678, 138、1234、5678, 138,1234,5678,
 * 370102/19900101/1237), written with spaces around or not, also full-width. They separate the
 * items of lists too (公交19/812/501/213, 5、63、68、802、147、226, 2019.5.18/2019.5.25), which the
 * masks above, taking any grouping, would read as phone or ID numbers: they are allowed only between
 * the groups of a number's own shape (3-4-4, area code-4-4, 6-8-4, 6-6-3).
 */
const GROUP_MARK = NUMBER_GROUP_MARKS;
const GROUP_JOIN = `[${SPACE}]{0,2}[${GROUP_MARK}][${SPACE}]{0,2}`;
/** Between the groups of an old 15-digit ID number (370102 900101 123): separators or a group mark, at least one. */
const ID15_JOIN = `[${JOINER}${GROUP_MARK}${SPACE}]{1,3}`;
/** A birth date, YYYYMMDD or YYMMDD (as the old 15-digit ID numbers carry it): month 01-12, day 01-31. */
const MONTH_DAY = `(?:[0０][1-9１-９]|[1１][0-2０-２])(?:[0０][1-9１-９]|[12１２]${DIGIT}|[3３][01０１])`;
const YYYYMMDD = `(?:[1１][9９]|[2２][0０])${DIGIT}{2}${MONTH_DAY}`;
const YYMMDD = `${DIGIT}{2}${MONTH_DAY}`;

/** A year (1900-2099), for telling 2019-2020 from a local number. */
const YEAR = `(?:[1１][9９]|[2２][0０])${DIGIT}{2}`;
/** A dash between two numbers, spaces around it allowed: how ranges and serials are written. */
const DASH_JOIN = `[${SPACE}]{0,2}[-－‐‑–—][${SPACE}]{0,2}`;
/** Between the two halves of a local number: a dash (spaces around it allowed) or one or two spaces. */
const LOCAL_JOIN = `(?:${DASH_JOIN}|[${SPACE}]{1,2})`;
/** Words a range, an amount or a room follows (面积1200-1500, 预算3000-5000, 第2001-3000, 房间3301 3302). */
const QUANTITY_BEFORE =
  '面积|预算|价格|价钱|单价|总价|房价|租金|工资|收入|费用|金额|造价|报价|大约|大概|约|共计|合计|共|第|房间|房号|门牌|单元|号楼|[¥￥$]';
/** Units and words a range or an amount ends with (1200-1500平方米, 3000-5000元, 2000-3000之间). */
const QUANTITY_AFTER =
  '平方|平米|㎡|米|公里|千米|厘米|毫米|元|块|万|亿|千|百|年|月|日|号|天|周|小时|分|秒|人|户|个|次|位|名|家|间|套|栋|幢|层|室|辆|台|件|' +
  '斤|公斤|千克|克|吨|升|度|岁|期|届|级|页|条|之间|左右|以上|以下|以内|不等|一平|每平|[%％℃A-Za-z]';
/**
 * A time of the evening written as four digits (2000-2359), where a local number's first group
 * (from 2) and a time range's first time meet: 2000-2200 is a range of hours.
 */
const EVENING_TIME = `[2２][0-3０-３][0-5０-５]${DIGIT}`;
/** Any time written as four digits (0000-2459: 2400 closes a day), a range's second time. */
const TIME = `(?:[01０１]${DIGIT}|[2２][0-4０-４])[0-5０-５]${DIGIT}`;

/** Words that say a local number follows (电话, 座机, 固话, 号码, Tel), with what may stand between (电话号码是：, 座机号). */
const CUE_WORD = '(?:电话|座机|手机|联系方式|热线|固话|号码|[Tt][Ee][Ll])(?:号码?)?[是为]?';
/** An area code in brackets after the cue word, kept: 座机【〇五三一】, 电话(0531). */
const CUE_AREA_CODE = `[(（【]${ANY_FORM_OF(0)}${ANY_FORM_DIGIT}{2,3}[)）】]`;
const CUE_PREFIX = `${CUE_WORD}[${SPACE}]{0,3}[：:]?[${SPACE}]{0,3}(?:${CUE_AREA_CODE}${GAP})?`;
/** Between two digits of a number after a cue: spaces only (a joiner only before its last four: 电话 2024-01-01 is a date). */
const CUE_SPACE = `[${SPACE}]{0,2}`;
/**
 * The digits of a number after a cue before its last four (3 or more: 7 or more in all). No upper bound: a number spaced
 * digit by digit (电话 8 8 7 7 6 6 5 5 9 9 9) is masked whole, not cut after its tenth digit with the rest shown.
 */
const CUE_NUMBER_HEAD = `${ANY_FORM_DIGIT}(?:${CUE_SPACE}${ANY_FORM_DIGIT}){2,}`;
const CUE_NUMBER_LAST_FOUR = `${ANY_FORM_DIGIT}(?:${CUE_SPACE}${ANY_FORM_DIGIT}){2}${CUE_SPACE}(?!${NUMERAL_WORD})${ANY_FORM_DIGIT}`;
/**
 * Where the number ends: no digit in any form right after it, or a numeral word. A joiner and digits
 * may follow (电话 8877-6655-123, 电话八八七七六六五五-八八: an extension), the number before them masked.
 */
const CUE_NUMBER_END = `(?:(?!${ANY_FORM_DIGIT})|(?=${NUMERAL_WORD}))`;
/**
 * Where a listed number ends: as CUE_NUMBER_END, but no spaces and a digit after it either. The list mask reads
 * after any **** (a mobile's too), and a list of spaced digits (****五六七八，① ② ③ ④ ⑤ ⑥ ⑦ ⑧ ⑨) is no number.
 */
const CUE_LISTED_NUMBER_END = `(?:(?!${ANY_FORM_DIGIT}|[${SPACE}]{1,2}${ANY_FORM_DIGIT})|(?=${NUMERAL_WORD}))`;
/** The last four as CUE_NUMBER_LAST_FOUR, its last digit free to begin a numeral word (八八七六六五三下午: 7 digits in all). */
const CUE_NUMBER_LAST_FOUR_ANY = `${ANY_FORM_DIGIT}(?:${CUE_SPACE}${ANY_FORM_DIGIT}){3}`;
/** What may follow a WeChat or QQ cue before the id (微信号, QQ号码, 微信账户, 微信ID, wechat id); an ID not at the start of a Latin word. */
const ACCOUNT_SUFFIX = `(?:号码?|[账帐][号户]|[${SPACE}]?[Ii][Dd](?![A-Za-z]))`;
/**
 * Words a WeChat or QQ id follows (微信号 wxid_abc123, 微信：zhang_san88, 微信ID：abc12345, vx: abc12345, QQ：123456,
 * QQ123456, QQ号码…): 微信, V信, WeChat, vx, wx, QQ, with 号, 号码, 账号, 帐号, 账户, 帐户 or ID after them or not. A
 * Latin one neither inside a Latin word nor at the start of one (wxWidgets, wxPython, QQBrowser, qqmusic, vxworks,
 * VXLAN100), unless a suffix follows it (QQID: 12345); and wxid_, the prefix of WeChat's own ids (wxid_abc123).
 */
const ACCOUNT_CUE =
  `(?:(?:微信|[Vv]信|ＱＱ)${ACCOUNT_SUFFIX}?` +
  `|(?:[Ww]e[Cc]hat|WECHAT|[Vv][Xx]|[Ww][Xx]|QQ|[Qq]q)(?:${ACCOUNT_SUFFIX}|(?![A-Za-z]))|[Ww][Xx](?=id_))`;
/** Between the cue and the id: spaces, a 是 or 为, a colon (微信号是：, vx: ). */
const ACCOUNT_LEAD = `[${SPACE}]{0,3}(?:[是为][${SPACE}]{0,3})?[：:]?[${SPACE}]{0,3}`;
/** An id: a Latin letter or a digit, then 4 or more letters, digits, _ or - (WeChat ids have 6 to 20, QQ numbers 5 or more digits). */
const ACCOUNT_ID_REST = '[-_A-Za-z0-9]{4,}';
/** The provinces' characters a licence plate starts with (粤A12345; a space after it or not: 粤 A12345). */
const PLATE_PROVINCE = '[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]';
/** A plate's letters (no I, no O) and digits, also typed in lower case (鄂a600hv). */
const PLATE_LETTER = '[A-HJ-NP-Za-hj-np-z]';
const PLATE_CHARACTER = '[A-HJ-NP-Za-hj-np-z0-9]';
/** Between the city letter and the number (京A·12345, 粤A 12345, 粤A-12345). */
const PLATE_JOIN = `[-－·・.．${SPACE}]?`;
/**
 * A licence plate (粤A12345, 湘AD12345, 京A·12345, 粤A1234学, 粤Z1234港), in two groups: the province and the city
 * letter, and the last character, which are kept (粤A***5); the rest of 5 or 6 characters, one a digit
 * at least, is masked. One pattern for free text and for record keys (maskPersonalNumbersInKey).
 */
/** A plate up to its number (鲁A, 粤 Z·), for the lookbehinds below: what the word at a plate's end must follow. */
const PLATE_HEAD = `${PLATE_PROVINCE}[${SPACE}]?${PLATE_LETTER}${PLATE_JOIN}`;
/**
 * The word some plates end with, after exactly 4 characters: 学 (learners), 警 (police), 挂 (trailers);
 * 港 and 澳 only on a Guangdong Z plate (Hong Kong and Macau cars: 粤Z1234港), 领 only after 4 digits
 * (consulates: 沪A1234领). Narrower than any plate + 港 or 领: 京G1234澳门 is no plate, and
 * 粤A12345港口 keeps its last digit (粤A***5港口). A plate of 5 characters and a word (鲁A12345领导,
 * 鲁A12345学习) is that plate, its last digit kept, and the word as written (鲁A***5领导): the 4 characters
 * before the word are counted from the city letter, not from anywhere in the plate.
 * After exactly 4 characters the word ends a plate whatever follows it: 苏E1234学员 is the learner car
 * 苏E1234学 and its learners, 鲁A1234领导 a consulate's car and a leader. A plate of 4 characters and no
 * word is none, so nothing but a plate is written so; which words may follow one cannot be listed (学员,
 * 学府路, 警车), and a list of them left the plates before the others unmasked. 鲁A1234 alone stays.
 */
const PLATE_LAST_WORD =
  `(?<=${PLATE_HEAD}${PLATE_CHARACTER}{4})[学警挂]` +
  `|(?<=粤[${SPACE}]?Z${PLATE_JOIN}${PLATE_CHARACTER}{4})[港澳]|(?<=${PLATE_HEAD}[0-9]{4})领`;
const LICENCE_PLATE =
  `(${PLATE_PROVINCE}[${SPACE}]?${PLATE_LETTER})(?=${PLATE_JOIN}[A-Za-z]{0,5}[0-9])${PLATE_JOIN}${PLATE_CHARACTER}{4,5}(${PLATE_CHARACTER}|${PLATE_LAST_WORD})(?![A-Za-z0-9])`;
const LICENCE_PLATE_REGEXP = new RegExp(LICENCE_PLATE, 'gu');

/** What lists a second number after the first (、，,/；; 或 或者 和 及), spaces around it allowed. */
/** How many numbers listed after the first are masked (电话：一、二、三: two). */
const LISTED_NUMBER_PASSES = 2;
const CUE_LIST_JOIN = `[${SPACE}]{0,2}(?:或者|[、，,/／；;或和及])[${SPACE}]{0,2}`;

/** Spaces between the parts of an address (3号楼 2单元 301室). */
const ADDRESS_SPACE = `[${SPACE}]{0,2}`;
/** The number of a unit or a floor, in digits or in words (2, 十二, 二). */
const PART_NUMBER = `(?:${DIGIT}{1,2}|[一二三四五六七八九十]{1,3})`;
/** A unit of a building (2单元, 二单元), a floor (5楼, 五层): the parts between a building and a door. */
const UNIT_PART = `${PART_NUMBER}${ADDRESS_SPACE}单元${ADDRESS_SPACE}`;
const FLOOR_PART = `${PART_NUMBER}${ADDRESS_SPACE}[楼层]${ADDRESS_SPACE}`;
/**
 * A room: 3 or 4 digits, floor and door (301, 1203), not from 0 and not ending in 00 (阳光100 is a
 * name, 1000 an amount); rooms listed after it (101、102, 102.104) with it.
 */
const ROOM = `[1-9１-９]${DIGIT}?(?:[0０][1-9１-９]|[1-9１-９]${DIGIT})`;
const ROOMS = `${ROOM}(?:${ADDRESS_SPACE}[、，,/.．和及与]${ADDRESS_SPACE}${ROOM})*`;
/** What a building is called before its rooms (3栋1203, 3号楼301, A座3707). */
const BUILDING_WORD = '栋|幢|座|号楼';
/**
 * What a number counts or measures when it follows it, so no door (10栋2单元2018年, 3栋1200平米,
 * 6栋180户1000余人, 3栋105m2户型).
 */
const COUNTED =
  '年|月|日|天|周|小时|分|秒|元|块|万|亿|千|百|平|米|㎡|公里|个|次|人|名|位|家|套|间|辆|台|件|斤|公斤|吨|岁|期|届|级|页|条|项|多|余|' +
  '左右|以上|以下|以内|之间|不等|[%％℃A-Za-z]';
/** A shop's or an office's number is no household's (5栋105商铺, 105号门面). */
const SHOP = '商铺|门面|门店|铺面|店铺|商户';
/** A flat's layout (2室1厅, 三室两厅): 室 counts rooms there, names no door. */
const LAYOUT_AFTER = `${ADDRESS_SPACE}(?:${DIGIT}|[一二两三四五六七八九十])${ADDRESS_SPACE}厅`;
/**
 * The end of a door number after its building, unit or floor: its word (室, 号房, 房, 号, 户),
 * captured and kept, or none where no count, measure, shop or building word follows (3栋2单元1203
 * is a door, 10栋2单元2018年 is none; a decimal point before a unit is a measure, 3栋1200.5平米).
 * 户 names a door only after a number that reads as one (101户, not 180户, a count) and before no
 * count's words (户型, 户数, 户业主, 户1000余人).
 */
const DOOR_END =
  `(?:${ADDRESS_SPACE}(室(?!${LAYOUT_AFTER})|号房|房|号(?!楼|院|线|${SHOP})|` +
  `户(?<=(?:[0０][1-9１-９]|[12１２]${DIGIT})${ADDRESS_SPACE}户)(?!型|数|籍|口|人|家|业主|居民|住户|左右|以上|以下|多|余|${DIGIT}))` +
  `|(?!${DIGIT}|[.．]${DIGIT}+${ADDRESS_SPACE}(?:${COUNTED})|${ADDRESS_SPACE}(?:${COUNTED}|${SHOP}|栋|幢|座|层|楼|室|房|号|户)))`;
/** What after 房 makes it no room where no building, unit or floor is named (206房产, 3000房款, 2005房补). */
const NOT_ROOM_AFTER = '产|价|租|贷|款|费|补|型|源|龄';
/** A dash between the parts of an address written as numbers (3-2-301). */
const ADDRESS_DASH = '[-－‐‑–—]';

/**
 * The masks applied to free text, in order, each a pattern and a replacement (`$n` keeps group n).
 * Written to mean the same in JavaScript and in PostgreSQL's regular expressions, so the search
 * can match on exactly what the viewer is shown (see freeTextSearchCondition). The character
 * classes hold the characters themselves (the \u escapes above are JavaScript's): PostgreSQL
 * reads no escapes inside them.
 *
 * At most 30 masks (PostgreSQL caches 32 compiled expressions per connection; see the unit test):
 * masks with the same replacement are alternatives of one mask (`A|B`, each alternative's groups
 * numbered after the ones before, the replacement naming them all: an alternative that did not
 * match gives ''). Only where no text matches two alternatives at the same place, or the first is
 * then never the shorter: JavaScript takes the first alternative that matches, PostgreSQL the longest.
 */
const FREE_TEXT_MASKS: ReadonlyArray<{ pattern: string; replacement: string; onlyIfLuhn?: boolean }> = [
  // E-mail: the first character of the local part and the domain stay. The at sign and the dots may
  // be full-width (＠, ．, 。), as Chinese input methods type them.
  { pattern: '(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*[@＠]([A-Za-z0-9-]+(?:[.．。][A-Za-z0-9-]+)+)', replacement: '$1***@$2' },
  // A run of digits in other forms longer than an ID number (two mobiles run together:
  // 一三八一二三四五六七八一三九八七六五四三二一), or of 15 to 17 (a card in Chinese numerals:
  // 六二二二一三八一二三四五六七三〇): its last four only, as the ASCII run mask keeps. First, so the two
  // masks below do not read it as a number and stray digits, which they show (a mobile inside a card:
  // 六二二二一三八****五六七三〇). 19 or more first: the longest run is taken in both engines. Not 17 and
  // an X, an ID number (the mask below).
  {
    pattern: anyFormRun(`(?:${ANY_FORM_NEXT_DIGIT}{14,}|${ANY_FORM_NEXT_DIGIT}{10,12}(?!(?:${GAP}${ANY_FORM_DIGIT}){4}[XxＸｘ]))`),
    replacement: '****$1',
  },
  // Resident ID numbers and mainland mobiles with a digit written in another form (三七〇一〇二…, 一三八一二三四五六七八,
  // ١٣٨…, 𝟏𝟑𝟖…, ①③⑧…, 138一二三四5678), masked as the two masks below mask them in ASCII digits. Before
  // them, so a number mixing forms is seen whole. Chinese numerals are words too: a run of them is a
  // number only as long as a mobile (11) or an ID number (18); a numeral word may follow (一直, 两个).
  // Or, the alternative in the same mask, an ID number grouped 6-8-4 with a slash, a comma, 、, an
  // underscore or a tilde (三七〇一〇二/一九九〇〇一〇一/一二三七, ٣٧٠١٠٢、١٩٩٠٠١٠١、١٢٣٧), digits 7-14 a birth date, as
  // the ASCII mask reads 370102/19900101/1237. Before the runs below, which would take its middle group.
  {
    pattern:
      `${OTHER_FORMS_START}(?:${otherFormWithin(18)}(${ANY_FORM_DIGIT}${ANY_FORM_NEXT_DIGIT}{2})${ANY_FORM_NEXT_DIGIT}{11}${GAP}` +
      `(${ANY_FORM_DIGIT}${ANY_FORM_NEXT_DIGIT}{2}${GAP}${ANY_FORM_ID_END})` +
      `|${otherFormAmong(27)}(${ANY_FORM_DIGIT}{3})${ANY_FORM_DIGIT}{3}${GROUP_JOIN}(?=${ANY_FORM_YYYYMMDD})${ANY_FORM_DIGIT}{8}${GROUP_JOIN}` +
      `(${ANY_FORM_DIGIT}{3}${ANY_FORM_ID_END})` +
      `)${OTHER_FORMS_END}`,
    replacement: '$1$3***********$2$4',
  },
  // A mobile, separators between its digits allowed or grouped 3-4-4 with a slash, a comma, 、, an
  // underscore or a tilde (١٣٨/١٢٣٤/٥٦٧٨, 一三八、一二三四、五六七八, 138/一二三四/5678): one mask, the two
  // ways of writing it alternatives (no text is both), to stay within PostgreSQL's cache of compiled
  // expressions (see maskFreeTextSqlExpression).
  {
    pattern:
      `${OTHER_FORMS_START}(?:` +
      `((?:[+＋]?${ANY_FORM_OF(8)}${ANY_FORM_OF(6)}${GAP})?${otherFormWithin(11)}${ANY_FORM_OF(1)}${GAP}${ANY_FORM_OF(3, 4, 5, 6, 7, 8, 9)}${ANY_FORM_NEXT_DIGIT})` +
      `${ANY_FORM_NEXT_DIGIT}{4}${GAP}(${ANY_FORM_DIGIT}${ANY_FORM_NEXT_DIGIT}{3})` +
      `|${otherFormAmong(20)}(${ANY_FORM_OF(1)}${ANY_FORM_OF(3, 4, 5, 6, 7, 8, 9)}${ANY_FORM_DIGIT})` +
      `${GROUP_JOIN}${ANY_FORM_DIGIT}{4}${GROUP_JOIN}(${ANY_FORM_DIGIT}{4})` +
      `)${OTHER_FORMS_END}`,
    replacement: '$1$3****$2$4',
  },
  // Landlines with an area code grouped with a group mark (〇五三一/八八七七/六六五五), or, the alternative,
  // with the area code in brackets and separators or none after it (（〇五三一）八八七七六六五五, (〇七五七) 八一二
  // 三四五六), as the ASCII masks below read them (the runs below see neither whole).
  {
    pattern:
      `${OTHER_FORMS_START}(?:${otherFormAmong(22)}[(（]?(${ANY_FORM_OF(0)}${ANY_FORM_DIGIT}{2,3})[)）]?` +
      `${GROUP_JOIN}${ANY_FORM_DIGIT}{3,4}${GROUP_JOIN}(${ANY_FORM_DIGIT}{4})` +
      `|(?=[${JOINER}0-9０-９(（)）${SPACE}]{0,22}${OTHER_FORM_DIGIT})[(（](${ANY_FORM_OF(0)}${ANY_FORM_DIGIT}{2,3})[)）]` +
      `${GAP}${ANY_FORM_DIGIT}{3,4}${GAP}(${ANY_FORM_DIGIT}{4})` +
      `)${OTHER_FORMS_END}`,
    replacement: '$1$3-****$2$4',
  },
  // Any other run of digits in other forms, separators between them allowed (cards and landlines in
  // groups: ٤١١١ ١١١١ ١١١١ ١١١١, 〇五三一 八八七七 六六五五): last four. As long as a mobile (11) when
  // Chinese numerals are in it, which are words too; before the ASCII masks, which would take the
  // ASCII digits of a mixed one (1234567八八七七) and leave the rest.
  { pattern: anyFormRun(`${ANY_FORM_NEXT_DIGIT}{${MIN_NUMERAL_RUN - 5},}`), replacement: '****$1' },
  // Without Chinese numerals, 7 digits or more, as the ASCII run mask (a local number ٨٨٧٧٦٦٥٥, ⑧⑧⑦⑦-⑥⑥⑤⑤);
  // a numeral word may follow (٨٨٧٧٦٦٥٥一直). Not a list's circled markers (①②③④⑤⑥⑦⑧⑨). Its own mask, not
  // an alternative of the one above (the same replacement): PostgreSQL took twice as long on the two
  // as one (122 ms against 63 ms for 400 short texts).
  {
    pattern:
      `(?<!${DIGIT_NO_WORD})${CIRCLED_LIST}(?=(?:${DIGIT}${GAP}){0,18}${NO_WORD_OTHER_FORM_DIGIT})` +
      `${DIGIT_NO_WORD}(?:${GAP}${DIGIT_NO_WORD}){2,}${GAP}(${DIGIT_NO_WORD}(?:${GAP}${DIGIT_NO_WORD}){3})(?!${DIGIT_NO_WORD})`,
    replacement: '****$1',
  },
  // Resident ID numbers (18 characters), also in groups: region prefix and last four, as maskIdNumber.
  // Or written 6-8-4 with a slash, a comma, 、, an underscore or a tilde (370102/19900101/1237), digits
  // 7-14 a birth date: the alternative in the same mask (no text is both).
  {
    pattern:
      `${NUMBER_START}(?:(${DIGIT}${NEXT_DIGIT}{2})${NEXT_DIGIT}{11}${GAP}(${DIGIT}${NEXT_DIGIT}{2}${GAP}[0-9０-９XxＸｘ])` +
      `|(${DIGIT}{3})${DIGIT}{3}${GROUP_JOIN}(?=${YYYYMMDD})${DIGIT}{8}${GROUP_JOIN}(${DIGIT}{3}[0-9０-９XxＸｘ]))${NUMBER_END}`,
    replacement: '$1$3***********$2$4',
  },
  // Old ID numbers (15 digits) in groups of 6, 6 and 3 (370102 900101 123, 370102/900101/123), the
  // middle one a birth date (YYMMDD): region prefix and last four, as maskIdNumber. Written without
  // separators, the run-of-digits mask below takes them (last four kept). Or, the alternative, in
  // other digit forms grouped so (三七〇一〇二/九〇〇一〇一/一二三: the runs above take them written with
  // spaces or dashes, and see no run in groups of 6, 6 and 3 joined by marks).
  {
    pattern:
      `${NUMBER_START}([1-9１-９]${DIGIT}{2})${DIGIT}{3}${ID15_JOIN}(?=${YYMMDD})${DIGIT}{5}(${DIGIT}${ID15_JOIN}${DIGIT}{3})${NUMBER_END}` +
      `|${OTHER_FORMS_START}${otherFormAmong(21)}(${ANY_FORM_OF(1, 2, 3, 4, 5, 6, 7, 8, 9)}${ANY_FORM_DIGIT}{2})${ANY_FORM_DIGIT}{3}${ID15_JOIN}` +
      `(?=${ANY_FORM_YYMMDD})${ANY_FORM_DIGIT}{5}(${ANY_FORM_DIGIT}${ID15_JOIN}${ANY_FORM_DIGIT}{3})${OTHER_FORMS_END}`,
    replacement: '$1$3********$2$4',
  },
  // Bank cards written in groups of four (6222 0202 0000 1234 563, 4111-1111-1111-1111), first digit
  // 3, 4, 5, 6 or 9, passing the Luhn check every card number carries: the last group kept. Only
  // that shape, joined by spaces or dashes (never dots): budgets (300000.00-500000.00), decimals,
  // lists of small numbers and years stay as written; the check tells most lists of room numbers
  // (3301 3302 3303 3304) from a card, and a list that passes it (6201 6202 6203 6204, one in ten
  // does) is told by its groups' steps (see isListOfNumbers). 13 to 19 digits, as card numbers
  // have. What follows a card does not decide (…5255 2000元, …1111 1202, …1111 8877 6655): the check
  // and the steps tell a card from the first groups of a longer list of rooms. Before the mobiles,
  // so a card whose tail reads like a mobile is masked whole. Ungrouped card numbers are runs of
  // 7+ digits (the last number mask).
  // 17 to 19 digits (4-4-4-4 and a last group of 1 to 3) first, then 13 to 16: where the longer
  // fails the check, a card of 16 and a stray digit after it (4111 1111 1111 1111 2张) is still found.
  {
    pattern: `${NUMBER_START}[3-69３-６９]${DIGIT}{3}(?:${CARD_GAP}${DIGIT}{4}){3}${CARD_GAP}(${DIGIT}{1,3})${NUMBER_END}`,
    replacement: '****$1',
    onlyIfLuhn: true,
  },
  {
    pattern: `${NUMBER_START}[3-69３-６９]${DIGIT}{3}(?:${CARD_GAP}${DIGIT}{4}){2}${CARD_GAP}(${DIGIT}{1,4})${NUMBER_END}`,
    replacement: '****$1',
    onlyIfLuhn: true,
  },
  // American Express, 4-6-5 (3782 822463 10005), passing the Luhn check: the last group kept.
  { pattern: `${NUMBER_START}[3３]${DIGIT}{3}${CARD_GAP}${DIGIT}{6}${CARD_GAP}(${DIGIT}{5})${NUMBER_END}`, replacement: '****$1', onlyIfLuhn: true },
  // Mainland mobiles, also written +86 138-1234-5678 or 1381 234 5678: first three and last four, as
  // maskPhone. Or written 3-4-4 with a slash, a comma, 、, an underscore or a tilde (138/1234/5678,
  // 138、1234、5678): the alternative in the same mask (no text is both).
  {
    pattern:
      `${NUMBER_START}(?:((?:[+]?86${GAP})?[1１]${GAP}[3-9３-９]${NEXT_DIGIT})${NEXT_DIGIT}{4}${GAP}(${DIGIT}${NEXT_DIGIT}{3})` +
      `|([1１][3-9３-９]${DIGIT})${GROUP_JOIN}${DIGIT}{4}${GROUP_JOIN}(${DIGIT}{4}))${NUMBER_END}`,
    replacement: '$1$3****$2$4',
  },
  // Landlines with an area code (0531-8877-6655, (0531) 8877 6655), or its groups joined by a group mark
  // (0531/8877/6655): area code and last four, as maskPhone. The area code's 0 may be full-width
  // (０５３１ ８８７７ ６６５５), as its other digits may.
  {
    pattern: `${NUMBER_START}[(（]?([0０]${DIGIT}{2,3})[)）]?(?:${GAP}${DIGIT}{3,4}${GAP}|${GROUP_JOIN}${DIGIT}{3,4}${GROUP_JOIN})(${DIGIT}{4})${NUMBER_END}`,
    replacement: '$1-****$2',
  },
  // A local number in groups where the text says it is one (电话 8877-6655, 电话号码是 8877 6655, 固话…,
  // 号码…): last four. Without that word, 8877-6655 cannot be told from a range (面积1200-1500). Its digits
  // in any form (座机八八七七六六五五: after that word 7 or more Chinese numerals are a number), spaces between
  // them allowed (电话 八 八 七 七 六 六 五 五, also past the tenth digit), an area code in brackets kept (座机【〇五三一】****六六五五); the
  // whole run, up to where no digit follows (电话八八七七六六五五1 → 电话****六五五1, not 3 + 4 of it), but a
  // numeral word may follow (一直, 两次).
  {
    pattern:
      `(${CUE_PREFIX})${CUE_NUMBER_HEAD}${GAP}(${CUE_NUMBER_LAST_FOUR})${CUE_NUMBER_END}`,
    replacement: '$1****$2',
  },
  // The same number where its last digit begins a numeral word (电话八八七六六五三下午打的): the exclusion above may
  // leave 7 digits or more to the number, never fewer, so a 7-digit one the numeral word would cut is masked whole
  // (hide more, never less). Only where the mask above masked nothing: it leaves **** after the cue.
  {
    pattern: `(${CUE_PREFIX})${CUE_NUMBER_HEAD}${GAP}(${CUE_NUMBER_LAST_FOUR_ANY})(?!${ANY_FORM_DIGIT})`,
    replacement: '$1****$2',
  },
  // A second number listed after one masked so (电话：****六六五五、八八七七六六五六), 7 digits or more, one in another
  // form (ASCII ones are the masks' below, which tell ranges and years), not a list's markers (① ② ③ … ⑨): its own
  // mask, after the one above, as the chained names are. An alternative of it would have to look behind for the cue and the
  // first number, which PostgreSQL rescans the text for: a text of such lists took quadratic time.
  // Applied twice, as a match takes the number before it: a third listed number (、八八七七六六五七) is the second pass's.
  ...Array.from({ length: LISTED_NUMBER_PASSES }, () => ({
    pattern: `([*]{4}${ANY_FORM_DIGIT}(?:${CUE_SPACE}${ANY_FORM_DIGIT}){3}${CUE_LIST_JOIN})(?:(?!${LIST_MARKER})|${CIRCLED_LIST})(?=(?:${ANY_FORM_DIGIT}${GAP}){0,7}${OTHER_FORM_DIGIT})${CUE_NUMBER_HEAD}${GAP}(${CUE_NUMBER_LAST_FOUR})${CUE_LISTED_NUMBER_END}`,
    replacement: '$1****$2',
  })),
  // A local number written 4-4 without that word (8877-6655, 8877 6655): last four. Exactly two
  // groups of four, the first from 2-9 as local numbers start, standing alone: no digit before
  // (even across spaces or a dash) and none after, so lists of rooms or years (3301 3302 3303)
  // stay; not two years (2019-2020), nor a year and a serial from 0 (预售证号2014-0036, 文号
  // 2018—0015), nor a range of hours (2000-2200, 2130-0600), these two only with a dash (written
  // with a space, 2030 1545 is taken for a number); not after a word a range or amount
  // follows nor before a unit (面积1200-1500平方米, 预算5000-8000元, 2200-2300一平, 房间3301 3302),
  // nor after a Latin letter (GB 5749-2006).
  {
    pattern:
      `(?<!${DIGIT}${SEPARATOR}{0,3})(?<![A-Za-z][${SPACE}]{0,2})(?<!(?:${QUANTITY_BEFORE})[：:为在]?[${SPACE}]{0,2})` +
      `(?!${YEAR}${LOCAL_JOIN}${YEAR})(?!${YEAR}${DASH_JOIN}[0０])(?!${EVENING_TIME}${DASH_JOIN}${TIME})` +
      `[2-9２-９]${DIGIT}{3}${LOCAL_JOIN}(${DIGIT}{4})(?!${SEPARATOR}{0,3}${DIGIT})(?![${SPACE}]{0,2}(?:${QUANTITY_AFTER}))`,
    replacement: '****$1',
  },
  // Any other run of 7 digits or more written without separators (landlines without area code,
  // bank cards, old 15-digit IDs): last four. Grouped ones are not told from lists of numbers here.
  // Not an amount of money: a run of under 13 digits (card and ID numbers are longer) with cents
  // (4242835.81, not a time: 88776655.12点) or before a unit of money (总价1020408元).
  {
    pattern:
      `(?<!${DIGIT})${DIGIT}{3,}(${DIGIT}{4})${NUMBER_END}` +
      `(?!(?<!${DIGIT}{13})(?:[.．]${DIGIT}{1,2}${NUMBER_END}(?!${TIME_AFTER_DOT})|[${SPACE}]{0,2}[)）]?(?:${MONEY_AFTER})))`,
    replacement: '****$1',
  },
  // A WeChat or QQ id after its cue (微信号 wxid_abc123 → 微信号 w***, QQ：123456 → QQ：1***): the first character kept,
  // as the e-mail mask keeps one. After the number masks: a mobile or a long QQ number after the cue (微信13812345678) is
  // masked as any number is, and its **** ends no id. Or, the alternative (no text is both: they start with other
  // characters), a licence plate (粤A12345, 湘AD12345, 京A·12345, 粤A1234学): the province, the city letter and the last
  // character kept (粤A***5), the rest of 5 or 6 characters, one a digit at least, masked. A plate names its owner to
  // anyone who can look it up; the text analytics drop plates too.
  {
    pattern:
      `(?<![A-Za-z0-9_])(${ACCOUNT_CUE}${ACCOUNT_LEAD}[A-Za-z0-9])${ACCOUNT_ID_REST}` +
      `|${LICENCE_PLATE}`,
    replacement: '$1$2***$3',
  },
  // Names after a cue (联系人王建国 → 联系人王**), see NAME_AFTER_CUE. Last: it may take the first
  // character of the word after a short name (电话), which the local-number mask above looks for.
  { pattern: NAME_AFTER_CUE, replacement: '$1$2**' },
  // The names listed after it (联系人王**、李秀英 → 联系人王**、李**), one more per pass.
  ...Array.from({ length: CHAINED_NAME_PASSES }, () => ({ pattern: CHAINED_NAME, replacement: '$1$2**' })),
  // A door below the building: one household's address. Everything below the building down to the
  // door is masked (unit, floor and room), the building and the door's word kept: 3号楼2单元301室 →
  // 3号楼****室, 3栋2单元1203 → 3栋****, 3-2-301 → 3-****. A building, a unit or a floor alone (3号楼,
  // 2单元, 5楼) is no household and stays, as do counts (297户), layouts (2室1厅), dates (10栋2单元2018年)
  // and shops (5栋105商铺). After the names: a masked door before a comma (3栋****，李秀英…) would read
  // to the chained-name mask as a masked name.
  // Building, unit and room written with dashes (3-2-301): the building kept.
  {
    pattern: `(?<!${DIGIT})(?<!${DIGIT}[${JOINER}])(${DIGIT}{1,2}${ADDRESS_DASH})${DIGIT}{1,2}${ADDRESS_DASH}${ROOMS}${DOOR_END}`,
    replacement: '$1****$2',
  },
  // A room after its building (3栋1203, A座3707室: the building's word kept), or after a unit or a floor
  // (2单元301室, 二楼204号房, 1单元3104: the unit and floor masked with it).
  {
    pattern:
      `(?:((?:${BUILDING_WORD})${ADDRESS_SPACE})|(?<![0-9０-９一二三四五六七八九十])(?:${UNIT_PART}(?:${FLOOR_PART})?|${FLOOR_PART}))` +
      `${ROOMS}${DOOR_END}`,
    replacement: '$1****$2',
  },
  // A room with its word and nothing named before it: 301室, 14室 (not 2室1厅, nor a list's 3 室内…),
  // 706房, 1008号房 (not 206房产, 2005房补).
  {
    pattern:
      `(?<!${DIGIT})(?<!${DIGIT}[${JOINER}])` +
      `(?:[1-9１-９]${DIGIT}{1,4}(室)(?!${LAYOUT_AFTER})|${ROOM}(号房|房)(?!${NOT_ROOM_AFTER}))`,
    replacement: '****$1$2',
  },
  // A door plate's number (门牌号411, 门牌号：12号, a list of them), not a count or a year after it (门牌号10年).
  {
    pattern:
      `(门牌号?码?${ADDRESS_SPACE}(?:[是为]${ADDRESS_SPACE})?[：:]?${ADDRESS_SPACE})${DIGIT}{1,5}` +
      `(?:${ADDRESS_SPACE}[、，,/～~-]${ADDRESS_SPACE}${DIGIT}{1,5})*(?!${DIGIT}|[.．]${DIGIT}|${ADDRESS_SPACE}(?:${COUNTED}))`,
    replacement: '$1****',
  },
];

// Unicode mode ('u'): a character outside the BMP (an emoji, a rare character) counts as one, as
// PostgreSQL counts it, so windows of N characters mean the same in both.
const FREE_TEXT_REGEXPS = FREE_TEXT_MASKS.map(({ pattern, replacement, onlyIfLuhn }) => ({ regexp: new RegExp(pattern, 'gu'), replacement, onlyIfLuhn }));

/** `replacement` with its `$n` filled from a match's groups. */
const expand = (replacement: string, groups: readonly (string | undefined)[]) => replacement.replace(/\$(\d)/g, (_, n: string) => groups[Number(n) - 1] ?? '');

/**
 * Free text (a request's body, a note) with the personal data inside it masked: phone numbers,
 * ID numbers, bank cards, e-mail addresses, any run of 7 digits or more (phone and ID numbers and
 * runs also in other digit forms, in groups too: 一三八…, 壹叁捌…, ١٣٨…, 𝟏𝟑𝟖…, ①③⑧…, ⑴⑶⑻…, ¹³⁸…; runs with
 * Chinese numerals from 11 digits), and a name that follows
 * a cue (联系人王建国 → 联系人王**, see NAME_AFTER_CUE). Other names in free text are left: without
 * a cue they cannot be told from words reliably here (the text analytics drop them from their
 * outputs with a segmenter).
 */
export function maskFreeText(text: string): string;
export function maskFreeText(text: string | null | undefined): string | null;
export function maskFreeText(text: string | null | undefined): string | null {
  if (text == null) return null;
  let out = text;
  for (const { regexp, replacement, onlyIfLuhn } of FREE_TEXT_REGEXPS) {
    if (!onlyIfLuhn) {
      out = out.replace(regexp, replacement);
      continue;
    }
    out = out.replace(regexp, (match: string, ...args: unknown[]) => {
      const groups = args.slice(0, args.findIndex((arg) => typeof arg === 'number')) as (string | undefined)[];
      return passesLuhn(asciiDigits(match)) && !isListOfNumbers(match) ? expand(replacement, groups) : match;
    });
  }
  return out;
}

/**
 * Whether groups of digits that pass the Luhn check are a list of numbers, not a card: every group
 * of four digits, each from the one before by the same step (6201 6202 6203 6204, 1201 2201 3201
 * 4201, 3304 3303 3302 3301) or rising by 1 to 100 (3301 3302 3303 3308, 1201 1202 1301 1302), as
 * rooms are listed. A card's groups do so about once in a million. The PostgreSQL function the
 * stored masked copies call (LUHN_MASK_FUNCTION) decides the same.
 */
function isListOfNumbers(match: string): boolean {
  const groups = halfWidthDigits(match).split(/[^0-9]+/).filter(Boolean);
  if (groups.length < 3 || groups.some((group) => group.length !== 4)) return false;
  const steps = groups.slice(1).map((group, i) => Number(group) - Number(groups[i]));
  return steps.every((step) => step === steps[0]) || steps.every((step) => step >= 1 && step <= 100);
}

/** Full-width digits and the separators people put in numbers, for comparing shapes. */
const FULL_WIDTH_DIGIT = /[０-９]/g;
const NUMBER_SEPARATORS = new RegExp(SEPARATOR, 'g');
/** The text with full-width digits as ASCII ones (６２２２ → 6222), everything else as it is. */
const halfWidthDigits = (text: string) => text.replace(FULL_WIDTH_DIGIT, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
/** The digits of a text, full-width ones as ASCII (６２２２ ０２０２ → 62220202). */
const asciiDigits = (text: string) => halfWidthDigits(text).replace(/[^0-9]/g, '');

/**
 * Whether a whole value that is no free text (a source system's record key) is a personal number:
 * a mainland mobile, a landline with its area code, a resident ID number (18 or the old 15 digits, with a birth date where one
 * belongs), a bank card (15-19 digits from an issuer's 3, 4, 5, 6 or 9, passing the Luhn check)
 * or an e-mail address. Such keys are published as evidence; one of these means a mapping took the
 * wrong column, and viewers who may not see personal data get it masked. Ordinary keys
 * (GJ20240701-0000000001, 18-00269879, a numeric work order 202407010000000001) stay traceable.
 */
/** The province an ID number's first two digits name (GB/T 2260): a date-led key (2017031512345 67) names none. */
const PROVINCE_CODE = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])/;

export function looksLikePersonalNumber(value: string): boolean {
  const compact = halfWidthDigits(value).replace(NUMBER_SEPARATORS, '');
  return (
    /^(?:\+?86)?1[3-9]\d{9}$/.test(compact) ||
    // A landline with its area code (0531-88776655, (010) 1234 5678): 0, a non-zero digit, 11-12 digits in all.
    /^0[1-9]\d{9,10}$/.test(compact.replace(/^[(（](0\d{2,3})[)）]/, '$1')) ||
    (/^\d{17}[\dXx]$/.test(compact) && PROVINCE_CODE.test(compact) && isBirthDate(compact.slice(6, 14))) ||
    (/^\d{15}$/.test(compact) && PROVINCE_CODE.test(compact) && isBirthDate(`19${compact.slice(6, 12)}`)) ||
    (/^[3-69]\d{14,18}$/.test(compact) && passesLuhn(compact)) ||
    /^[^@＠\s]+[@＠][^@＠\s]+[.．。][^@＠\s]+$/.test(value.trim())
  );
}

/**
 * Groups of digits a record key joins with separators (139-1234-5678-01, hall_139.1234.5678,
 * 370102-19900101-1237-1), an ID number's final X with the last one.
 */
/** Keys join groups with _ and / too (u_139_1234_5678), which free text's masks do not read: as a dash there. */
const KEY_ONLY_JOINER = '[_/／＿]';
const KEY_DIGIT_GROUPS = new RegExp(`[0-9０-９]+(?:(?:${SEPARATOR}|${KEY_ONLY_JOINER}){1,3}[0-9０-９]+)*[XxＸｘ]?`, 'g');
const KEY_DIGIT_GROUP = /[0-9０-９]+[XxＸｘ]?/g;
const KEY_ONLY_JOINERS = new RegExp(KEY_ONLY_JOINER, 'g');
const withFreeTextJoiners = (text: string) => text.replace(KEY_ONLY_JOINERS, '-');
/**
 * The groupings personal numbers are written in, as the digits per group: a mobile 3-4-4 (with
 * 86 before it, or 3-8), a landline's area code (0 and 2-3 digits) then 7-8 digits or 3-4 + 4, an
 * ID number 6-8-4, 6-12 or the old 6-6-3, a card 4-4-4-4(-1 to 3), 4-6-5 or 6-13. Other
 * stretches of a key's groups are no number, whatever their digits add up to: a date and a
 * sequence number (2024-07-01-0012345) would often read as a landline or a card.
 */
const PERSONAL_NUMBER_GROUPINGS = /^(?:(?:2-)?3-4-4|(?:2-)?3-8|0[34]-(?:[78]|[34]-4)|6-8-4|6-12|6-6-3|4-4-4-4(?:-[1-3])?|4-6-5|6-13)$/;
/** A mobile's and an ID number's groupings, whose digits carry their own checks (1[3-9], a province and a birth date). */
const SELF_CHECKED_GROUPINGS = /^(?:3-4-4|3-8|6-8-4|6-12|6-6-3)$/;
/** A year (19xx, 20xx): the group after it is a month and day (2024-0315-…), not an area code or a card's first group. */
const KEY_YEAR = /^(?:19|20)\d\d$/;

/** 0531 88776655 → "04-8": the digits per group, an area code's (0 and 2-3 digits, first) marked by its 0. */
function groupingOf(groups: readonly string[]): string {
  return groups.map((group, i) => `${i === 0 && /^[0０]/.test(group) && group.length <= 4 ? '0' : ''}${group.length}`).join('-');
}

/**
 * Whether digit groups are grouped as a personal number is written: one group, or a grouping of
 * PERSONAL_NUMBER_GROUPINGS. After other groups (`after`, the group before), a local number after
 * an area code starts with 2-9, as every one does, and a landline's or a card's grouping does not
 * follow a year: in SR-2024-0315-88776655 and 2024-0701-0001-0002 the 0315 and 0701 are days.
 */
function isPersonalNumberGrouping(groups: readonly string[], after?: string): boolean {
  if (groups.length <= 1) return true;
  const shape = groupingOf(groups);
  if (!PERSONAL_NUMBER_GROUPINGS.test(shape)) return false;
  if (after === undefined || SELF_CHECKED_GROUPINGS.test(shape)) return true;
  return !KEY_YEAR.test(after) && (!shape.startsWith('0') || /^[2-9２-９]/.test(groups[1]));
}

/**
 * A record key with every personal number in it masked (see looksLikePersonalNumber): the whole
 * key, else each group or grouped stretch of groups that is one, since a source
 * system may compose its keys of one (13912345678-01, 370102-19900101-1237-1, A-139-1234-5678).
 * Groups are read only as personal numbers are grouped: a date and a sequence number
 * (2024-07-01-0012345, SR-2024-0315-00012345) add up to a landline's or an ID's digits as often as not.
 * Other digits and ordinary keys stay as they are, traceable (GJ20240701-0000000001, 18-00269879).
 * A licence plate in it is masked as free text masks one (鲁A12345 → 鲁A***5).
 */
export function maskPersonalNumbersInKey(key: string): string {
  if (looksLikePersonalNumber(key)) return maskPersonalNumber(key);
  // A licence plate names its owner as a phone does (a parking system keyed by the plate, P-粤A12345-01):
  // masked as in free text, before its digits are read as groups.
  return key.replace(LICENCE_PLATE_REGEXP, '$1***$2').replace(KEY_DIGIT_GROUPS, (run) => {
    const groups = [...run.matchAll(KEY_DIGIT_GROUP)].map((group) => ({ start: group.index!, end: group.index! + group[0].length, text: group[0] }));
    const isPersonal = (first: number, last: number) => {
      const text = withFreeTextJoiners(run.slice(groups[first].start, groups[last].end));
      const grouped = first !== last;
      const texts = groups.slice(first, last + 1).map((group) => group.text);
      if (grouped && !isPersonalNumberGrouping(texts, first > 0 ? groups[first - 1].text : undefined)) return false;
      return looksLikePersonalNumber(text) && !(grouped && isListOfNumbers(text));
    };
    let out = '';
    let copied = 0;
    for (let first = 0; first < groups.length; first++) {
      // The longest stretch from here that is a personal number (at most five groups: 4-4-4-4-3).
      let found = -1;
      for (let last = Math.min(groups.length - 1, first + 4); last >= first && found < 0; last--) if (isPersonal(first, last)) found = last;
      if (found < 0) continue;
      out += run.slice(copied, groups[first].start) + maskPersonalNumber(withFreeTextJoiners(run.slice(groups[first].start, groups[found].end)));
      copied = groups[found].end;
      first = found;
    }
    return out + run.slice(copied);
  });
}

/** YYYYMMDD of a plausible birth date (an ID number's digits 7-14). */
function isBirthDate(ymd: string): boolean {
  const [year, month, day] = [Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)), Number(ymd.slice(6, 8))];
  return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** The check digit every bank card number carries (Luhn). */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A whole personal number, masked: as free text masks it, else everything but its last four characters. */
export function maskPersonalNumber(value: string): string {
  const masked = maskFreeText(value);
  return masked !== value ? masked : `${'*'.repeat(Math.max(0, [...value].length - 4))}${[...value].slice(-4).join('')}`;
}

/**
 * account:zhang.wei → account:z********: who did a step, for viewers who may not see personal data.
 * Account names are often the person's name in pinyin; the ledgers that carry them (a project's,
 * readable by portals) need the step, not the official's name. Portals, the system and anonymous
 * callers keep their labels.
 */
export function maskAccountName(actor: string): string {
  const account = /^account:(.)(.*)$/su.exec(actor);
  return account ? `account:${account[1]}${'*'.repeat([...account[2]].length)}` : actor;
}

/** Whether the viewer may see personal data in free text as written (staff, whose cases these are). */
export function maySeePersonalData(viewer: Viewer): boolean {
  return viewer.kind === 'account' && PERSONAL_DATA_ROLES.has(viewer.role);
}

/**
 * A JSON value (a ledger entry's `data`, a kept suggestion) with maskFreeText applied to every
 * string in it, however deep. Every string, not a list of known keys: a key added later that
 * carries free text (a reason, a comment, a resource title) is masked without anyone remembering
 * to list it. Keys, numbers, booleans and nulls stay; enum values and ISO times have no run of
 * seven digits, so they read the same.
 */
export function maskFreeTextJson<T>(value: T): T {
  if (typeof value === 'string') return maskFreeText(value) as T;
  if (Array.isArray(value)) return value.map((element) => maskFreeTextJson(element)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, maskFreeTextJson(element)])) as T;
  }
  return value;
}

/** PostgreSQL writes a kept group \n where JavaScript writes $n. */
const pgReplacement = (replacement: string) => replacement.replace(/\$(\d)/g, '\\$1');

/**
 * maskFreeText over `column` as one SQL expression, its patterns written in as literals: the
 * definition of the stored masked copies (request.title_masked, …) the search compares. The
 * entities declare those columns with it and the migration that adds them keeps a copy, which a
 * test holds equal to this. Literals assume standard_conforming_strings (on since PostgreSQL 9.1):
 * a backslash is itself, only a quote is doubled.
 */
export function maskFreeTextSqlExpression(column: string): string {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return FREE_TEXT_MASKS.reduce(
    (inner, { pattern, replacement, onlyIfLuhn }) =>
      `${onlyIfLuhn ? LUHN_MASK_FUNCTION : 'regexp_replace'}(${inner}, ${literal(pattern)}, ${literal(pgReplacement(replacement))}${onlyIfLuhn ? '' : ", 'g'"})`,
    column,
  );
}

/**
 * The SQL function that applies a mask only where the match's digits pass the Luhn check and its
 * groups are no list of numbers (isListOfNumbers), as maskFreeText's onlyIfLuhn masks do: (text,
 * pattern, replacement), every match. Created by
 * migrations/Migration20261207100000_free_text_masks_chained_names_local_numbers.ts (immutable, so
 * the stored masked copies may call it).
 */
export const LUHN_MASK_FUNCTION = 'mask_free_text_where_luhn';

/** The stored masked copy of a free-text property: `title` → `titleMasked` (column title_masked). */
export const maskedProperty = (property: string) => `${property}Masked`;

/**
 * The @Property options of `maskedProperty(property)`: a column PostgreSQL computes and stores
 * (regexp_replace is immutable) whenever the text is written. Text, not the source's varchar: a
 * masked e-mail can be longer than it was. Lazy and hidden: only the search reads it.
 */
export function maskedCopyOf(property: string) {
  return {
    type: 'text',
    generated: (columns: Record<string, string>) => `(${maskFreeTextSqlExpression(columns[property])}) stored`,
    lazy: true,
    hidden: true,
  } as const;
}

/**
 * A MikroORM condition: one of an entity's free-text `properties` contains `search`, matched on
 * the text this viewer is shown. For viewers who may not see personal data that is the masked
 * text, so a search cannot probe for a phone or ID number hidden in a body (13812345678 or its
 * middle digits find nothing). The masked text is a stored generated column beside each property
 * (maskedProperty), so the search masks nothing at query time and is a plain condition on the
 * row: scope and the other filters narrow the rows first, as they do for staff.
 */
export function freeTextSearchCondition(viewer: Viewer, properties: readonly string[], search: string): Record<string, unknown> {
  const pattern = containsPattern(search);
  const compared = maySeePersonalData(viewer) ? properties : properties.map(maskedProperty);
  return { $or: compared.map((property) => ({ [property]: { $ilike: pattern } })) };
}

/** `text` with every double-quoted value (as JSON.stringify writes it) replaced by "…". */
export function hideQuotedValues(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}

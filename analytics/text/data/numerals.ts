/**
 * The characters residents write digits with besides ASCII and full-width ones, in one place: the
 * text analytics cut numbers written with them out of the texts they segment (text/privacy.ts),
 * and maskFreeText masks phone and ID numbers written with them (src/common/privacy.ts). Plain
 * characters, no escapes: they go into character classes of both JavaScript's and PostgreSQL's
 * regular expressions.
 */
import { HONORIFIC_WORDS } from './name-cues';

/** A code point and the nine after it: one character for each digit 0-9. */
const tenFrom = (first: number) => Array.from({ length: 10 }, (_, digit) => String.fromCodePoint(first + digit));
const ARABIC_INDIC = tenFrom(0x0660); // ٠١٢…
const EXTENDED_ARABIC_INDIC = tenFrom(0x06f0); // ۰۱۲… (Persian, Urdu)
/** Mathematical bold, double-struck, sans-serif, sans-serif bold and monospace digits (𝟎𝟏𝟐…, 𝟘𝟙𝟚…), pasted from styled text. */
const MATHEMATICAL = [0, 1, 2, 3, 4].map((style) => tenFrom(0x1d7ce + 10 * style));
/** Nine code points from `one`, after `zero`: a style of circled digits 0-9 (zero '' where the style has none). */
const circled = (zero: string, one: number) => [zero, ...Array.from({ length: 9 }, (_, i) => String.fromCodePoint(one + i))];
/**
 * Circled digits, as lists and pasted text carry them: circled (⓪①②…), dingbat sans-serif (🄋➀➁…),
 * dingbat negative sans-serif (🄌➊➋…), negative (⓿❶❷…) and double circled (⓵⓶…, no zero). Only the
 * first NFKC turns into ASCII digits.
 */
export const CIRCLED_STYLES: readonly (readonly string[])[] = [
  circled('⓪', 0x2460),
  circled('🄋', 0x2780),
  circled('🄌', 0x278a),
  circled('⓿', 0x2776),
  circled('', 0x24f5),
];
/**
 * Digits with a bracket or a full stop in one character (⑴⑵…, no zero; 🄀⒈⒉…), as lists and pasted text carry
 * them too. NFKC turns them into two or three characters ((1), 1.), not into a digit alone.
 */
const MARKER_STYLES: readonly (readonly string[])[] = [circled('', 0x2474), circled('🄀', 0x2488)];
/** Every style of digits a list numbers its items with (①②③…, ⑴⑵⑶…, ⒈⒉⒊…): a run of one style rising by one is a list, no number. */
export const LIST_MARKER_STYLES: readonly (readonly string[])[] = [...CIRCLED_STYLES, ...MARKER_STYLES];
/** Superscript (⁰¹²…) and subscript (₀₁₂…) digits, pasted from styled text; NFKC turns them into ASCII digits. */
const SUPERSCRIPT = ['⁰', '¹', '²', '³', ...tenFrom(0x2070).slice(4)];
const SUBSCRIPT = tenFrom(0x2080);
/**
 * The styles whose digits are a number's only among digits of their own style (⑴⑶⑻⑴⑵…, ¹³⁸¹²…): next to digits of
 * another form they are a list's marker, a unit's power or a footnote (⒈ 2024.12.31, 120m² 2024-12-31, 见附件¹ 2024), no digit.
 */
export const OWN_STYLE_DIGIT_STYLES: readonly (readonly string[])[] = [...LIST_MARKER_STYLES, SUPERSCRIPT, SUBSCRIPT];

/**
 * For each digit 0-9, the characters that are unambiguously that digit: Arabic-Indic, Extended
 * Arabic-Indic, mathematical, circled, bracketed or with a full stop (⑴, ⒈), superscript and subscript.
 * They are no words: a run of them counts from 7 digits, as ASCII ones.
 */
export const OTHER_DIGIT_FORMS: readonly string[] = Array.from({ length: 10 }, (_, digit) =>
  [
    ARABIC_INDIC[digit], EXTENDED_ARABIC_INDIC[digit], ...MATHEMATICAL.map((style) => style[digit]), ...LIST_MARKER_STYLES.map((style) => style[digit]), SUPERSCRIPT[digit], SUBSCRIPT[digit],
  ].join(''),
);

/**
 * For each digit 0-9, the Chinese numerals a number read out digit by digit is written with (a
 * hotline transcript: 一三八一二三四五六七八): 〇 or 零 for 0 (also ○, a white circle, which people and input
 * methods type for 〇: 二○二四年), and as said aloud to be heard right,
 * 幺 for 1, 两 (兩) for 2, 拐 for 7, 洞 for 0 and 勾 for 9; and the financial (capital) numerals, simplified
 * and traditional (壹贰叁肆伍陆柒捌玖, 貳貮參叄陸), which forms and cheques write digits with. They are words
 * too (一直, 两个, 第一, 十一五, 拐弯, 洞口, 陆续; 伍 and 陆 are surnames), so only a long run of them is a number:
 * see MIN_NUMERAL_RUN.
 */
export const CHINESE_DIGIT_FORMS: readonly string[] = ['〇○零洞', '一幺壹', '二两兩贰貳貮', '三叁叄參', '四肆', '五伍', '六陆陸', '七拐柒', '八捌', '九勾玖'];

/**
 * A word a Chinese numeral begins right after a number (一直, 两次, 三个, 陆续), or a surname that is one before an
 * honorific (伍先生, 陆女士): the numeral is no digit of it. Not every such word: the rest are taken as the number's
 * last digit, which hides more, never less. Nor the numerals before 下, 家, 部, 天 or 点, which begin other words as
 * often (下午, 家里, 部门, 天天, 点击). Free-text masking and the text analytics' scrub read numbers' ends by it.
 */
export const NUMERAL_WORD = `(?:[一两二三四五六七八九](?:直|起|个|次|遍|份|共|般|样|定|会|位|些|回|趟|声|通|人)|[陆陸]续|[伍陆陸](?:${HONORIFIC_WORDS}))`;

/**
 * The fewest digits, Chinese numerals among them, a run must have to be taken for a personal
 * number: a mobile's 11. Ordinary text has no run of Chinese numerals so long (一二三四五六七八九十
 * is nine and a 十). Runs in the other forms, which are no words, count from 7 digits, as ASCII ones.
 */
export const MIN_NUMERAL_RUN = 11;

/**
 * What people put between the digits of a number, in every digit form: spaces (also no-break,
 * ideographic and zero-width ones) and joiners (hyphens and dashes, also full-width, dots, ·).
 * Free-text masking (src/common/privacy.ts) and the text analytics' scrub read numbers with the same.
 */
export const NUMBER_SPACES = '\u0020\u00a0\u3000\t\u200b\u200c\u200d\ufeff';
export const NUMBER_JOINERS = '-.．－‐‑–—·';
/** Marks that separate the groups of a number too (138/1234/5678, 138、1234、5678), also full-width. */
export const NUMBER_GROUP_MARKS = '/／_＿~～,，、';

/** The ASCII digit each of OTHER_DIGIT_FORMS stands for. */
const OTHER_DIGIT_VALUES: ReadonlyMap<string, string> = new Map(OTHER_DIGIT_FORMS.flatMap((forms, digit) => [...forms].map((form): [string, string] => [form, String(digit)])));
const OTHER_DIGIT = new RegExp(`[${OTHER_DIGIT_FORMS.join('')}]`, 'gu');

/** The text with every one of OTHER_DIGIT_FORMS as its ASCII digit (١٣٨ → 138), everything else as it is. */
export function withAsciiDigits(text: string): string {
  return text.replace(OTHER_DIGIT, (form) => OTHER_DIGIT_VALUES.get(form)!);
}

/**
 * The characters residents write digits with besides ASCII and full-width ones, in one place: the
 * text analytics cut numbers written with them out of the texts they segment (text/privacy.ts),
 * and maskFreeText masks phone and ID numbers written with them (src/common/privacy.ts). Plain
 * characters, no escapes: they go into character classes of both JavaScript's and PostgreSQL's
 * regular expressions.
 */

/** A code point and the nine after it: one character for each digit 0-9. */
const tenFrom = (first: number) => Array.from({ length: 10 }, (_, digit) => String.fromCodePoint(first + digit));
const ARABIC_INDIC = tenFrom(0x0660); // ٠١٢…
const EXTENDED_ARABIC_INDIC = tenFrom(0x06f0); // ۰۱۲… (Persian, Urdu)
/** Mathematical bold, double-struck, sans-serif, sans-serif bold and monospace digits (𝟎𝟏𝟐…, 𝟘𝟙𝟚…), pasted from styled text. */
const MATHEMATICAL = [0, 1, 2, 3, 4].map((style) => tenFrom(0x1d7ce + 10 * style));
/** Circled digits (⓪①②…), as lists and pasted text carry them. */
const CIRCLED = ['⓪', ...Array.from({ length: 9 }, (_, i) => String.fromCodePoint(0x2460 + i))];

/**
 * For each digit 0-9, the characters that are unambiguously that digit: Arabic-Indic, Extended
 * Arabic-Indic, mathematical and circled. NFKC turns the mathematical and circled ones into ASCII
 * digits, not the Arabic-Indic ones.
 */
export const OTHER_DIGIT_FORMS: readonly string[] = Array.from({ length: 10 }, (_, digit) =>
  [ARABIC_INDIC[digit], EXTENDED_ARABIC_INDIC[digit], ...MATHEMATICAL.map((style) => style[digit]), CIRCLED[digit]].join(''),
);

/**
 * For each digit 0-9, the Chinese numerals a number read out digit by digit is written with (a
 * hotline transcript: 一三八一二三四五六七八): 〇 or 零 for 0, 幺 for 1 and 两 for 2 as said aloud.
 * They are words too (一直, 两个, 第一, 十一五), so only a long run of them is a number: see
 * MIN_NUMERAL_RUN.
 */
export const CHINESE_DIGIT_FORMS: readonly string[] = ['〇零', '一幺', '二两', '三', '四', '五', '六', '七', '八', '九'];

/**
 * The fewest digits, Chinese numerals among them, a run must have to be taken for a personal
 * number: a mobile's 11. Ordinary text has no run of Chinese numerals so long (一二三四五六七八九十
 * is nine and a 十).
 */
export const MIN_NUMERAL_RUN = 11;

/** The ASCII digit each of OTHER_DIGIT_FORMS stands for. */
const OTHER_DIGIT_VALUES: ReadonlyMap<string, string> = new Map(OTHER_DIGIT_FORMS.flatMap((forms, digit) => [...forms].map((form): [string, string] => [form, String(digit)])));
const OTHER_DIGIT = new RegExp(`[${OTHER_DIGIT_FORMS.join('')}]`, 'gu');

/** The text with every one of OTHER_DIGIT_FORMS as its ASCII digit (١٣٨ → 138), everything else as it is. */
export function withAsciiDigits(text: string): string {
  return text.replace(OTHER_DIGIT, (form) => OTHER_DIGIT_VALUES.get(form)!);
}

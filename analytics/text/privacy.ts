/**
 * Personal data never leaves the text analytics: it is cut out of the text before
 * segmentation, and every term that could still carry it is refused afterwards.
 *
 * Before segmentation (`scrubPersonalData`): e-mail addresses, mobile and landline phone
 * numbers, resident ID numbers (also in Arabic-Indic, bracketed ⑴, full-stop ⒈, superscript and subscript
 * digits, and in Chinese numerals read out digit by digit: 一三八一二三四五六七八, financial 壹叁捌…), licence plates, addresses below building level (栋/单元/
 * 层/室/户 with their numbers), any remaining digit run, and the names that follow a cue
 * (我叫…, 姓名…, 联系人…) or precede an honorific (王阿姨, 李师傅).
 *
 * Person names (`findPersonNames`), on jieba's tagged tokens before any of them is used: what
 * jieba tags a name (nr, nrfg, nrt), the given name after a surname jieba split off (王/nr
 * 桂兰/ns, 耿/nr 建军/n, 牛/n 德福/ns), a compound surname and the given name after it (欧阳/ns
 * 娜娜/nrt, 欧阳/ns 菁/zg), an unknown word that starts with a surname (李翠娥/x), and every later
 * use of a name found so (张建军 → 建军 alone elsewhere). Surnames are the whole 百家姓
 * (data/surnames.ts); as many of them are everyday words too (高, 路, 车, 连, 东方), a surname
 * alone makes nothing a name: the word after it must look like a given name. A domain term
 * (data/domain-terms.ts) is never a name, whatever jieba tags it: its dictionary tags many
 * ordinary words a person name (幼儿园, 养老院, 红绿灯, 许可证 are `nr` there); nor is one of the
 * everyday words listed there for that reason (WORDS_TAGGED_AS_NAMES).
 *
 * After segmentation (`isSafeTerm`): a term is kept only when it holds no digit and no Latin
 * letter, is not tagged a person name by jieba (nr, nrfg, nrt), and is a word jieba or the
 * domain dictionary knows (unknown words found by the HMM are most often names).
 *
 * Aggregates (`MIN_AUTHORS_PER_TERM`): a term is published from a set of texts only when at least
 * that many different authors use it, so nothing one resident alone wrote comes out, however
 * many texts they wrote.
 */
import { NEVER_NAMES } from './data/domain-terms';
import { jiebaFiles } from './jieba-files';
import { CHAINED_NAME_PASSES, HONORIFIC_WORDS, chainedNamePattern, nameAfterCuePattern } from './data/name-cues';
import { CHINESE_DIGIT_FORMS, MIN_NUMERAL_RUN, NUMBER_GROUP_MARKS, NUMBER_JOINERS, NUMBER_SPACES, NUMERAL_WORD, withAsciiDigits } from './data/numerals';
import { BAIJIAXING_SURNAMES, COMMON_SURNAMES, COMPOUND_SURNAMES, COMPOUND_SURNAMES_ALSO_WORDS } from './data/surnames';

/**
 * The fewest different authors (residents) whose texts must use a term before an aggregate over
 * texts (a demand cell's "what residents say") may publish it, whatever the number of texts:
 * k-anonymity for words. Authors, not texts: one resident writing three times is still one.
 */
export const MIN_AUTHORS_PER_TERM = 3;

const HONORIFICS = `(?:${HONORIFIC_WORDS})`;
const CJK = '[\\u4e00-\\u9fa5]';

/**
 * A run of digits and Chinese numerals as long as a mobile number or longer, with what free-text
 * masking reads between a number's digits: up to three spaces, dashes, dots or ·, or a group mark
 * (138/1234/5678, 一三八、一二三四、五六七八). With a Chinese numeral in it, it is a number read out digit
 * by digit (一三八一二三四五六七八, 138一二三四5678), as hotline transcripts write them; shorter runs are
 * words (第一三八中学, 十一五规划, 三三两两, a counting list 一、二、三…九、十).
 */
const NUMERAL = `[0-9${CHINESE_DIGIT_FORMS.join('')}]`;
const NUMERAL_GAP = `(?:[${NUMBER_JOINERS}${NUMBER_SPACES}\\s]{0,3}|[${NUMBER_SPACES}\\s]{0,2}[${NUMBER_GROUP_MARKS}][${NUMBER_SPACES}\\s]{0,2})`;
const NUMERAL_RUN = new RegExp(`${NUMERAL}(?:${NUMERAL_GAP}${NUMERAL}){${MIN_NUMERAL_RUN - 1},}`, 'g');
const CHINESE_NUMERAL = new RegExp(`[${CHINESE_DIGIT_FORMS.join('')}]`);
/**
 * A local number of 7 or 8 digits, Chinese numerals among them, where free-text masking reads one: after
 * the word that says it is one (座机八八七七六六五五, 电话号码是：八八七七-六六五五, 固话…, 号码…, also spaced) or after an area
 * code in brackets ((〇五三一)八八七七六六五五, 【〇五三一】), with a second number listed after it. Shorter than NUMERAL_RUN
 * takes; the cue word stays.
 */
const NUMERAL_SEPARATORS = `[${NUMBER_JOINERS}${NUMBER_SPACES}\\s]{0,3}`;
/**
 * 7 to 10 digits, spaces between them or a separator before the last four, up to where no digit follows
 * right after (a joiner and an extension may: 八八七七六六五五-八八). A numeral word may follow where 7 digits or
 * more stay the number's; one that would leave 6 is read as the number's last digit (八八七六六五三下午), as
 * free-text masking reads them.
 */
const NUMERAL_LOCAL_HEAD = `${NUMERAL}(?:[${NUMBER_SPACES}\\s]{0,2}${NUMERAL}){2,5}${NUMERAL_SEPARATORS}${NUMERAL}(?:[${NUMBER_SPACES}\\s]{0,2}${NUMERAL}){2}[${NUMBER_SPACES}\\s]{0,2}`;
const NUMERAL_LOCAL_DIGITS =
  `(?:${NUMERAL_LOCAL_HEAD}(?!${NUMERAL_WORD})${NUMERAL}(?:(?!${NUMERAL})|(?=${NUMERAL_WORD}))|${NUMERAL_LOCAL_HEAD}${NUMERAL}(?!${NUMERAL}))`;
/** What lists another number after one (、，,/；; 或 或者 和 及), spaces around it allowed. */
const NUMERAL_LIST_JOIN = `[${NUMBER_SPACES}\\s]{0,2}(?:或者|[、，,/／；;或和及])[${NUMBER_SPACES}\\s]{0,2}`;
const NUMERAL_LOCAL_NUMBER = new RegExp(
  `(?:((?:电话|座机|手机|联系方式|热线|固话|号码|tel)(?:号码?)?[是为]?)[${NUMBER_SPACES}\\s]{0,3}[：:]?[${NUMBER_SPACES}\\s]{0,3}(?:[(（【][${CHINESE_DIGIT_FORMS[0]}0]${NUMERAL}{2,3}[)）】]${NUMERAL_SEPARATORS})?` +
    `|[(（【][${CHINESE_DIGIT_FORMS[0]}0]${NUMERAL}{2,3}[)）】]${NUMERAL_SEPARATORS})` +
    // Up to two numbers listed after the first (电话：八八七七六六五五、八八七七六六五六、八八七七六六五七), as masking masks.
    `${NUMERAL_LOCAL_DIGITS}(?:${NUMERAL_LIST_JOIN}${NUMERAL_LOCAL_DIGITS}){0,2}`,
  'gi',
);

const SCRUBBERS: ReadonlyArray<[RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' '], // e-mail
  [/\d{17}[\dXx]|\d{15}/g, ' '], // resident ID numbers (18 and old 15 digits)
  [/(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}/g, ' '], // mobile phones
  // Numbers in Chinese numerals, also mixed with digits: after the mobiles, so one a numeral word
  // follows (13812345678一直) keeps the word; before the landlines, which would take the digits of a
  // mixed one (13812345六七八) and leave its numerals.
  [NUMERAL_RUN, (run) => (CHINESE_NUMERAL.test(run) ? ' ' : run)],
  [NUMERAL_LOCAL_NUMBER, (number, cue?: string) => (CHINESE_NUMERAL.test(number) ? `${cue ?? ''} ` : number)],
  [/(?:0\d{2,3}[-\s]?)?[2-9]\d{6,7}(?:-\d{1,4})?/g, ' '], // landlines with extension
  [/[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}/gi, ' '], // licence plates
  // Below building level: the building number itself and every part under it (units, floors, rooms).
  [/[\d一二三四五六七八九十百零〇两]+\s*(?:号楼|号院|栋|幢|座|单元|楼层|层|楼|室|户|号)/g, ' '],
  [/[A-Za-z]\s*(?:栋|座|区)\s*/g, ' '],
  // Names after a cue, and a surname in front of an honorific (王阿姨 keeps 阿姨). On raw text a
  // surname character cannot be told from a word, so only the common surnames: with the whole
  // 百家姓, 保安师傅, 水电师傅 and 两小时的 would lose 安, 水电 and 小时 (findPersonNames uses them all).
  // A name is first marked ** so that the names listed after it are found as masking finds them
  // (联系人王建国、李秀英), then every mark becomes a space.
  [new RegExp(nameAfterCuePattern(':\\s'), 'g'), '$1**'],
  ...Array.from({ length: CHAINED_NAME_PASSES }, (): [RegExp, string] => [new RegExp(chainedNamePattern(':\\s', '[*][*]'), 'g'), '$1**']),
  [/[*]+/g, ' '],
  [new RegExp(`[${COMMON_SURNAMES}]${CJK}{0,2}?(?=${HONORIFICS})`, 'g'), ' '],
  [new RegExp(`(?:小|老)[${COMMON_SURNAMES}](?=[，,。；;、\\s]|家|说|的)`, 'g'), ' '],
  [/\d+/g, ' '], // any other digit run: house numbers, amounts, dates, case numbers
];

/** The text with personal data replaced by spaces (so words on either side stay apart). */
export function scrubPersonalData(text: string): string {
  // Other digit forms as ASCII digits first: NFKC leaves Arabic-Indic ones and makes ⑴ and ⒈ two or three characters
  // ((1), 1.), which no number's pattern reads. NFKC then makes full-width digits ASCII.
  let out = withAsciiDigits(text).normalize('NFKC');
  for (const [pattern, replacement] of SCRUBBERS) out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  return out;
}

const PERSON_NAME_TAGS: ReadonlySet<string> = new Set(['nr', 'nrfg', 'nrt']);

/** What jieba tags a lone surname character it did not join to its given name (刘/zg 秀英, 王/nr 桂兰). */
const SPLIT_SURNAME_TAGS: ReadonlySet<string> = new Set([...PERSON_NAME_TAGS, 'zg', 'x']);
/** What jieba tags a given name it does not know as one: a place (桂兰/ns, 瑞金/ns), another proper noun (振华/nz). */
const PROPER_NOUN_TAGS: ReadonlySet<string> = new Set([...PERSON_NAME_TAGS, 'ns', 'nz']);
const NAME_OR_PLACE_TAGS: ReadonlySet<string> = new Set([...PERSON_NAME_TAGS, 'ns']);
/** Tags no given name carries: function words, pronouns, numerals, measure words, directions. */
const NOT_A_GIVEN_NAME_TAGS = /^(?:p|c|u.*|y|e|o|r.*|m.*|q.*|d|f|w.*)$/;
/** A title after a surname (王局长, 刘护士) names a role, not the person. */
const TITLE_AFTER_SURNAME = new RegExp(`^(?:${HONORIFIC_WORDS}|.?长|护士|主席|老板|会计|医师|委员|干部)$`);
/** What can follow a surname as its given name: one to three characters (three only in an unknown word: 欧阳/ns 菁家/x). */
const GIVEN_NAME_SHAPE = new RegExp(`^${CJK}{1,3}$`);
const SURNAME_LED_NAME = new RegExp(`^[${COMMON_SURNAMES}]${CJK}{1,2}$`);
const ALL_CJK = new RegExp(`^${CJK}+$`);

/** Every single-character surname (the whole 百家姓). */
const ALL_SURNAMES: ReadonlySet<string> = new Set([...COMMON_SURNAMES, ...BAIJIAXING_SURNAMES]);
const COMMON_SURNAME_SET: ReadonlySet<string> = new Set(COMMON_SURNAMES);
const COMPOUND_SURNAME_SET: ReadonlySet<string> = new Set(COMPOUND_SURNAMES);
const COMPOUND_SURNAMES_THAT_ARE_WORDS: ReadonlySet<string> = new Set(COMPOUND_SURNAMES_ALSO_WORDS);
/** Our domain terms (路灯, 门禁, 违停, …) and the everyday words jieba tags names (红绿灯, 宝宝) are never names, whatever jieba tags them. */
const DOMAIN_TERM_SET = NEVER_NAMES;

interface Tagged {
  word: string;
  tag: string;
}

/**
 * Which of jieba's tokens of one text are person names, and the names themselves (each full
 * name and its given name, e.g. 张建军 and 建军) so that a bare use elsewhere, in this text or
 * another text of the same set, is dropped too. Found by tag and position, not from a list of
 * names: jieba tags most names nr; it often splits off a surname and tags the given name as a
 * place or a noun (王/nr 桂兰/ns, 杨/nr 光明/n, 牛/n 德福/ns); its HMM joins an unknown name into
 * one `x`. A split-off surname is masked with its given name; a compound surname that is no
 * everyday word (欧阳, 诸葛, 司马) is masked wherever it stands.
 */
export function findPersonNames(tokens: readonly Tagged[]): { isName: boolean[]; names: Set<string> } {
  const names = new Set<string>();
  const remember = (name: string, given?: string) => {
    if (name.length >= 2) names.add(name);
    if (given && given.length >= 2 && !TITLE_AFTER_SURNAME.test(given) && !DOMAIN_TERM_SET.has(given)) names.add(given);
  };
  const isName = tokens.map(() => false);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (DOMAIN_TERM_SET.has(token.word)) continue; // 幼儿园/nr, 养老院/nr in jieba's dictionary
    if (next && isSurnameBeforeGivenName(token, next)) {
      isName[i] = isName[i + 1] = true;
      remember(token.word + next.word, next.word);
      i++;
      continue;
    }
    const given = givenNameInWord(token);
    if (given !== undefined) {
      isName[i] = true;
      remember(token.word, given);
    } else if (COMPOUND_SURNAME_SET.has(token.word) && !COMPOUND_SURNAMES_THAT_ARE_WORDS.has(token.word)) {
      isName[i] = true; // 欧阳 without a given name after it (欧阳阿姨, 欧阳家) still names someone
    }
  }
  // A name found anywhere in the text is a name everywhere in it: 王桂兰反映… 桂兰说… drops both.
  return { isName: tokens.map((token, i) => isName[i] || names.has(token.word)), names };
}

/**
 * Whether `surname` is a surname jieba split off and `given` its given name.
 *
 * - A common surname tagged as jieba tags a split-off one (王/nr, 刘/zg, 李/x): any two characters
 *   that can be a name (the rule before the whole 百家姓 was used).
 * - Any surname so tagged (耿/nr, 车/zg): a given name jieba's dictionary knows (建军, see
 *   isKnownGivenName); after one tagged a name (沙/nr, 童/nr), also a name or a place (瑞金/ns,
 *   桂兰/ns). Not any word: 车/zg 噪音, 连/nr 小区, 井/zg 社区 are no names.
 * - Any surname jieba took for a word (牛/n, 涂/v, 马/n): a known given name that jieba also tags
 *   a name, place or proper noun (德福/ns, 建华/nz), both signs (not 能/v 处理/v, 有/v 正义/n).
 * - A compound surname: a name jieba knows (南宫/ns 燕/nr, 欧阳/ns 娜娜/nrt) or a known given name
 *   (诸葛/nr 建军/n); unless it is also a word (东方, 西门, 百里), also one character (欧阳/ns 菁/zg),
 *   an unknown word (欧阳/ns 菁家/x, the given name joined to the next character), or a proper noun.
 */
function isSurnameBeforeGivenName(surname: Tagged, given: Tagged): boolean {
  if (!GIVEN_NAME_SHAPE.test(given.word) || NOT_A_GIVEN_NAME_TAGS.test(given.tag) || TITLE_AFTER_SURNAME.test(given.word) || DOMAIN_TERM_SET.has(given.word)) return false;
  if (surname.word.length === 1) {
    if (given.word.length !== 2 || !ALL_SURNAMES.has(surname.word) || NOT_A_GIVEN_NAME_TAGS.test(surname.tag)) return false;
    if (COMMON_SURNAME_SET.has(surname.word) && SPLIT_SURNAME_TAGS.has(surname.tag)) return true;
    if (SPLIT_SURNAME_TAGS.has(surname.tag) && isKnownGivenName(given.word)) return true;
    if (PERSON_NAME_TAGS.has(surname.tag) && NAME_OR_PLACE_TAGS.has(given.tag)) return true;
    return PROPER_NOUN_TAGS.has(given.tag) && isKnownGivenName(given.word);
  }
  if (!COMPOUND_SURNAME_SET.has(surname.word)) return false;
  if (given.word.length <= 2 && (PERSON_NAME_TAGS.has(given.tag) || isKnownGivenName(given.word))) return true;
  if (COMPOUND_SURNAMES_THAT_ARE_WORDS.has(surname.word)) return false;
  return given.word.length === 1 || given.tag === 'x' || (given.word.length === 2 && PROPER_NOUN_TAGS.has(given.tag));
}

/**
 * When one token is a whole name, its given name ('' when it has none of two characters or
 * more); undefined when the token is no name. A name: what jieba tags one (张建军/nr → 建军; but
 * its dictionary also tags 农家乐 and 祖父母 a name, so only after a common or compound surname is
 * the rest a given name); an unknown word of a common surname and one or two characters
 * (李翠娥/x), or of any surname and a known given name (耿建军/x); one word of a compound surname
 * that is no everyday word and one or two characters (欧阳建/ns, 夏侯惇/ns).
 */
function givenNameInWord({ word, tag }: Tagged): string | undefined {
  // 欧阳娜娜, 司马光; not 东方明珠 (东方 is a word too).
  const compound = word.length > 2 && COMPOUND_SURNAME_SET.has(word.slice(0, 2)) && !COMPOUND_SURNAMES_THAT_ARE_WORDS.has(word.slice(0, 2));
  if (PERSON_NAME_TAGS.has(tag)) {
    if (compound) return word.slice(2);
    return word.length === 3 && COMMON_SURNAME_SET.has(word[0]) ? word.slice(1) : '';
  }
  if (tag === 'x' && (SURNAME_LED_NAME.test(word) || (word.length === 3 && ALL_SURNAMES.has(word[0]) && isKnownGivenName(word.slice(1))))) return word.slice(1);
  if (compound && word.length <= 4 && ALL_CJK.test(word) && !NOT_A_GIVEN_NAME_TAGS.test(tag)) return word.slice(2);
  return undefined;
}

/**
 * A given name jieba's dictionary knows must follow at least this many different surnames among
 * its person names (建军 14, 德福 5, 桂兰 3)...
 */
const MIN_SURNAMES_PER_GIVEN_NAME = 3;
/**
 * ...and those names together must be at least this share of the word's own frequency there. The
 * dictionary's names are noisy (王先生, 李书记, 冷处理, 古文化 are tagged nr): a word that is mostly
 * a word (文化 34,860 against 610 as a name, 先生, 父母, 进来) is no given name; 建军 (170 against 65),
 * 德福 and 建华 are.
 */
const MIN_NAME_SHARE = 0.25;

const DICTIONARY_LINE = new RegExp(`^(${CJK}{2,3}) (\\d+) (\\w+)\\r?$`, 'gm');

let knownGivenNames: ReadonlySet<string> | undefined;

/**
 * Whether jieba's dictionary knows `word` as a given name: the last two characters of its
 * three-character person names (nr, nrfg, nrt) that start with a surname (王建军, 李建军 → 建军),
 * kept as above (~1,500 given names). Read from the dictionary file on first use (~0.15 s).
 */
function isKnownGivenName(word: string): boolean {
  if (!knownGivenNames) {
    const frequency = new Map<string, number>();
    const asName = new Map<string, { surnames: Set<string>; frequency: number }>();
    const dictionary = new TextDecoder().decode(jiebaFiles().dict);
    // Lines are `word frequency tag`; only words of two and three characters matter here.
    for (const [, entry, count, tag] of dictionary.matchAll(DICTIONARY_LINE)) {
      if (entry.length === 2) {
        if (!frequency.has(entry)) frequency.set(entry, Number(count));
      } else if (PERSON_NAME_TAGS.has(tag) && ALL_SURNAMES.has(entry[0])) {
        const given = asName.get(entry.slice(1)) ?? { surnames: new Set<string>(), frequency: 0 };
        given.surnames.add(entry[0]);
        given.frequency += Number(count);
        asName.set(entry.slice(1), given);
      }
    }
    knownGivenNames = new Set(
      [...asName]
        .filter(([given, { surnames, frequency: asNameFrequency }]) => surnames.size >= MIN_SURNAMES_PER_GIVEN_NAME && asNameFrequency >= MIN_NAME_SHARE * (frequency.get(given) ?? 0))
        .map(([given]) => given),
    );
  }
  return word.length === 2 && knownGivenNames.has(word);
}

/**
 * Whether a segmented term may appear in an output (a keyword, a "what residents say" row).
 * `known` tells whether the term is in a dictionary (jieba's or ours).
 */
export function isSafeTerm(term: string, tag: string, known: boolean): boolean {
  if (PERSON_NAME_TAGS.has(tag)) return false;
  if (/[0-9A-Za-z０-９]/.test(term)) return false;
  if (!known) return false;
  return true;
}

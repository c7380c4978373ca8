/**
 * Personal data never leaves the text analytics: it is cut out of the text before
 * segmentation, and every term that could still carry it is refused afterwards.
 *
 * Before segmentation (`scrubPersonalData`): e-mail addresses, mobile and landline phone
 * numbers, resident ID numbers, licence plates, addresses below building level (栋/单元/
 * 层/室/户 with their numbers), any remaining digit run, and the names that follow a cue
 * (我叫…, 姓名…, 联系人…) or precede an honorific (王阿姨, 李师傅).
 *
 * Person names (`findPersonNames`), on jieba's tagged tokens before any of them is used: what
 * jieba tags a name (nr, nrfg, nrt), the given name after a surname jieba split off (王/nr
 * 桂兰/ns), an unknown word that starts with a surname (李翠娥/x), and every later use of a name
 * found so (张建军 → 建军 alone elsewhere).
 *
 * After segmentation (`isSafeTerm`): a term is kept only when it holds no digit and no Latin
 * letter, is not tagged a person name by jieba (nr, nrfg, nrt), and is a word jieba or the
 * domain dictionary knows (unknown words found by the HMM are most often names).
 *
 * Aggregates (`MIN_TEXTS_PER_TERM`): a term is published from a set of texts only when at least
 * that many different texts use it, so nothing one resident alone wrote comes out.
 */

/**
 * The fewest different texts a term must appear in before an aggregate over texts (a demand
 * cell's "what residents say") may publish it, whatever the number of texts: k-anonymity for words.
 */
export const MIN_TEXTS_PER_TERM = 3;

/** The most common Chinese surnames (百家姓, single-character ones that cover ~90% of people). */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const HONORIFIC_WORDS = '先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大哥|大姐|奶奶|爷爷|师傅|老师|经理|书记|主任|同志|医生|律师|警官|某某?';
const HONORIFICS = `(?:${HONORIFIC_WORDS})`;
const NAME_CUES = '(?:我叫|我是|本人叫|本人姓名|姓名|名叫|联系人姓名|联系人|户主|申请人|当事人)[：:\\s]*';
const CJK = '[\\u4e00-\\u9fa5]';

const SCRUBBERS: ReadonlyArray<[RegExp, string]> = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' '], // e-mail
  [/\d{17}[\dXx]|\d{15}/g, ' '], // resident ID numbers (18 and old 15 digits)
  [/(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}/g, ' '], // mobile phones
  [/(?:0\d{2,3}[-\s]?)?[2-9]\d{6,7}(?:-\d{1,4})?/g, ' '], // landlines with extension
  [/[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}/gi, ' '], // licence plates
  // Below building level: the building number itself and every part under it (units, floors, rooms).
  [/[\d一二三四五六七八九十百零〇两]+\s*(?:号楼|号院|栋|幢|座|单元|楼层|层|楼|室|户|号)/g, ' '],
  [/[A-Za-z]\s*(?:栋|座|区)\s*/g, ' '],
  // Names after a cue, and a surname in front of an honorific (王阿姨 keeps 阿姨).
  [new RegExp(`(${NAME_CUES})${CJK}{2,3}(?=[，,。；;、\\s]|$)`, 'g'), '$1 '],
  [new RegExp(`[${SURNAMES}]${CJK}{0,2}?(?=${HONORIFICS})`, 'g'), ' '],
  [new RegExp(`(?:小|老)[${SURNAMES}](?=[，,。；;、\\s]|家|说|的)`, 'g'), ' '],
  [/\d+/g, ' '], // any other digit run: house numbers, amounts, dates, case numbers
];

/** The text with personal data replaced by spaces (so words on either side stay apart). */
export function scrubPersonalData(text: string): string {
  let out = text.normalize('NFKC');
  for (const [pattern, replacement] of SCRUBBERS) out = out.replace(pattern, replacement);
  return out;
}

const PERSON_NAME_TAGS: ReadonlySet<string> = new Set(['nr', 'nrfg', 'nrt']);

/** What jieba tags a lone surname character it did not join to its given name (刘/zg 秀英, 王/nr 桂兰). */
const SPLIT_SURNAME_TAGS: ReadonlySet<string> = new Set([...PERSON_NAME_TAGS, 'zg', 'x']);
/** Tags no given name carries: function words, pronouns, numerals, measure words, directions. */
const NOT_A_GIVEN_NAME_TAGS = /^(?:p|c|u.*|y|e|o|r.*|m.*|q.*|d|f|w.*)$/;
/** A title after a surname (王局长, 刘护士) names a role, not the person. */
const TITLE_AFTER_SURNAME = new RegExp(`^(?:${HONORIFIC_WORDS}|.?长|护士|主席|老板|会计|医师|委员|干部)$`);
/** Split-off given names are two characters (a one-character one cannot be a published term anyway). */
const GIVEN_NAME = new RegExp(`^${CJK}{2}$`);
const SURNAME_LED_NAME = new RegExp(`^[${SURNAMES}]${CJK}{1,2}$`);

interface Tagged {
  word: string;
  tag: string;
}

/**
 * Which of jieba's tokens of one text are person names, and the names themselves (each full
 * name and its given name, e.g. 张建军 and 建军) so that a bare use elsewhere, in this text or
 * another text of the same set, is dropped too. Found by tag and position, not from a list of
 * names: jieba tags most names nr; it often splits off a surname and tags the given name as a
 * place or a noun (王/nr 桂兰/ns, 杨/nr 光明/n); its HMM joins an unknown name into one `x`.
 */
export function findPersonNames(tokens: readonly Tagged[]): { isName: boolean[]; names: Set<string> } {
  const names = new Set<string>();
  const remember = (name: string) => {
    if (name.length >= 2) names.add(name);
    if (name.length === 3 && SURNAMES.includes(name[0])) names.add(name.slice(1));
  };
  const isName = tokens.map(({ word, tag }, i) => {
    const previous = tokens[i - 1];
    if (previous && isSplitSurname(previous) && GIVEN_NAME.test(word) && !NOT_A_GIVEN_NAME_TAGS.test(tag) && !TITLE_AFTER_SURNAME.test(word)) {
      remember(previous.word + word);
      return true;
    }
    if (PERSON_NAME_TAGS.has(tag) || (tag === 'x' && SURNAME_LED_NAME.test(word))) {
      remember(word);
      return true;
    }
    return false;
  });
  // A name found anywhere in the text is a name everywhere in it: 王桂兰反映… 桂兰说… drops both.
  return { isName: tokens.map((token, i) => isName[i] || names.has(token.word)), names };
}

function isSplitSurname(token: Tagged): boolean {
  return token.word.length === 1 && SURNAMES.includes(token.word) && SPLIT_SURNAME_TAGS.has(token.tag);
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

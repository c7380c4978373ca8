/**
 * Personal data never leaves the text analytics: it is cut out of the text before
 * segmentation, and every term that could still carry it is refused afterwards.
 *
 * Before segmentation (`scrubPersonalData`): e-mail addresses, mobile and landline phone
 * numbers, resident ID numbers, licence plates, addresses below building level (栋/单元/
 * 层/室/户 with their numbers), any remaining digit run, and the names that follow a cue
 * (我叫…, 姓名…, 联系人…) or precede an honorific (王阿姨, 李师傅).
 *
 * After segmentation (`isSafeTerm`): a term is kept only when it holds no digit and no Latin
 * letter, is not tagged a person name by jieba (nr, nrfg, nrt), and is a word jieba or the
 * domain dictionary knows (unknown words found by the HMM are most often names).
 */

/** The most common Chinese surnames (百家姓, single-character ones that cover ~90% of people). */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const HONORIFICS = '(?:先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大哥|大姐|奶奶|爷爷|师傅|老师|经理|书记|主任|同志|医生|律师|警官|某某?)';
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

import { Migration } from '@mikro-orm/migrations';
import { maskExpression } from './Migration20261203130000_free_text_masked_columns';
import { MASKED_COLUMNS, maskedColumnExpression as previousExpression } from './Migration20261204100000_free_text_masks_cards_unit_address';

export { MASKED_COLUMNS };

/**
 * maskFreeText as of this migration, pattern and PostgreSQL replacement in order: a frozen copy of
 * privacy.ts's FREE_TEXT_MASKS (a test holds maskedColumnExpression equal to maskFreeTextSqlExpression;
 * when the masks change, a new migration redefines the columns). Non-ASCII spaces, dashes and
 * invisible characters are written as \u escapes here; the strings hold the characters themselves.
 * The last mask is new: a name after a cue (the cue words of analytics/text/data/name-cues.ts, the
 * surnames of analytics/text/data/surnames.ts, written out as they were).
 */
const MASKS: readonly [pattern: string, replacement: string][] = [
  ["(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*[@＠]([A-Za-z0-9-]+(?:[.．。][A-Za-z0-9-]+)+)", "\\1***@\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){2})(?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){11}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){2}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９XxＸｘ])(?![0-9０-９])", "\\1***********\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[3-69３-６９][0-9０-９]{3}(?:[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}[0-9０-９]{4}){2,3}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}([0-9０-９]{1,4})(?![0-9０-９])", "****\\1"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[3３][0-9０-９]{3}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}[0-9０-９]{6}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}([0-9０-９]{5})(?![0-9０-９])", "****\\1"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})((?:[+]?86[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})?[1１][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[3-9３-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]))(?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){3})(?![0-9０-９])", "\\1****\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[(（]?(0[0-9０-９]{2,3})[)）]?[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]{3,4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９]{4})(?![0-9０-９])", "\\1-****\\2"],
  ["((?:电话|座机|手机|联系方式|热线|[Tt][Ee][Ll])[：:]?[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})[0-9０-９]{3,4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９]{4})(?![0-9０-９])", "\\1****\\2"],
  ["(?<![0-9０-９])[0-9０-９]{3,}([0-9０-９]{4})(?![0-9０-９])", "****\\1"],
  ["((?:我叫|我是|本人叫|本人姓名|姓名|名叫|联系人姓名|联系人|户主|申请人|当事人)[：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}(?:[为是][：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})?)(?!党员|居民|家属|家人|家长|房东|房主|干部|单位|公司|和电话|和手机|和联系|和地址|和住址|和身份)(万俟|司马|上官|欧阳|夏侯|诸葛|闻人|东方|赫连|皇甫|尉迟|公羊|澹台|公冶|宗政|濮阳|淳于|单于|太叔|申屠|公孙|仲孙|轩辕|令狐|钟离|宇文|长孙|慕容|鲜于|闾丘|司徒|司空|亓官|司寇|子车|颛孙|端木|巫马|公西|漆雕|乐正|壤驷|公良|拓跋|夹谷|宰父|谷梁|段干|百里|东郭|南门|呼延|归海|羊舌|微生|梁丘|左丘|东门|西门|商牟|伯赏|南宫|第五|太史|独孤|[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福肖付覃])(?!先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大哥|大姐|奶奶|爷爷|师傅|老师|经理|书记|主任|同志|医生|律师|警官|某某?)[㐀-䶿一-鿿]{1,2}", "\\1\\2**"],
];

/** The masked text of `column`, with this migration's masks. */
export const maskedColumnExpression = (column: string): string => maskExpression(MASKS, column);

/**
 * The masks now also catch a resident's name written after a cue (联系人王建国 → 联系人王**,
 * 联系人：张桂英, 户主为李秀英, 我叫欧阳娜娜): numbers were masked and the name was not, so a portal
 * read 联系人王建国139****5678 in a unit's address or a pairing's duties and found the unit by
 * searching 王建国. The stored masked copies the search compares are recomputed with the new masks.
 * PostgreSQL 15 cannot change a generated column's expression: each is dropped and added again
 * (each table is rewritten once).
 */
export class Migration20261206100000_free_text_masks_names extends Migration {
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

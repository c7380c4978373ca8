import { Migration } from '@mikro-orm/migrations';
import { MASKED_COLUMNS, maskedColumnExpression as previousExpression } from './Migration20261206100000_free_text_masks_names';

export { MASKED_COLUMNS };

/** The SQL function the card masks call (privacy.ts's LUHN_MASK_FUNCTION), as this migration creates it. */
const LUHN_MASK_FUNCTION = 'mask_free_text_where_luhn';

/** The chained-name mask, applied three times (one more name of a list per pass). */
const CHAINED_NAME: readonly [pattern: string, replacement: string] = ["([*][*][：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[、，,和与及][：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})(?!党员|居民|家属|家人|家长|家住|家中|家里|家庭|居住|房东|房主|房屋|干部|单位|公司|和电话|和手机|和联系|和地址|和住址|和身份|应当|应该|相信|强行|强烈|通过|有关|于今年|于今日|于今天|曾经多次|曾多次|农民|文盲|年过)((?:万俟|司马|上官|欧阳|夏侯|诸葛|闻人|东方|赫连|皇甫|尉迟|公羊|澹台|公冶|宗政|濮阳|淳于|单于|太叔|申屠|公孙|仲孙|轩辕|令狐|钟离|宇文|长孙|慕容|鲜于|闾丘|司徒|司空|亓官|司寇|子车|颛孙|端木|巫马|公西|漆雕|乐正|壤驷|公良|拓跋|夹谷|宰父|谷梁|段干|百里|东郭|南门|呼延|归海|羊舌|微生|梁丘|左丘|东门|西门|商牟|伯赏|南宫|第五|太史|独孤|[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福肖付覃]))(?!先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大哥|大姐|奶奶|爷爷|师傅|老师|经理|书记|主任|同志|医生|律师|警官|某某?)[㐀-䶿一-鿿](?:(?![和与及](?:万俟|司马|上官|欧阳|夏侯|诸葛|闻人|东方|赫连|皇甫|尉迟|公羊|澹台|公冶|宗政|濮阳|淳于|单于|太叔|申屠|公孙|仲孙|轩辕|令狐|钟离|宇文|长孙|慕容|鲜于|闾丘|司徒|司空|亓官|司寇|子车|颛孙|端木|巫马|公西|漆雕|乐正|壤驷|公良|拓跋|夹谷|宰父|谷梁|段干|百里|东郭|南门|呼延|归海|羊舌|微生|梁丘|左丘|东门|西门|商牟|伯赏|南宫|第五|太史|独孤|[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福肖付覃]))[㐀-䶿一-鿿])?", "\\1\\2**"];

/**
 * maskFreeText as of this migration, pattern, PostgreSQL replacement and whether the mask applies
 * only where the match passes the Luhn check, in order: a frozen copy of privacy.ts's
 * FREE_TEXT_MASKS (a test holds maskedColumnExpression equal to maskFreeTextSqlExpression; when the
 * masks change, a new migration redefines the columns). Non-ASCII spaces, dashes and invisible
 * characters are written as \u escapes here; the strings hold the characters themselves.
 */
const MASKS: readonly (readonly [pattern: string, replacement: string, onlyIfLuhn?: boolean])[] = [
  ["(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*[@＠]([A-Za-z0-9-]+(?:[.．。][A-Za-z0-9-]+)+)", "\\1***@\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){2})(?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){11}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){2}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９XxＸｘ])(?![0-9０-９])", "\\1***********\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[3-69３-６９][0-9０-９]{3}(?:[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}[0-9０-９]{4}){3}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}([0-9０-９]{1,3})(?![0-9０-９])", "****\\1", true],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[3-69３-６９][0-9０-９]{3}(?:[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}[0-9０-９]{4}){2}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}([0-9０-９]{1,4})(?![0-9０-９])", "****\\1", true],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[3３][0-9０-９]{3}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}[0-9０-９]{6}[-－\u2010\u2011\u2013\u2014 \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2}([0-9０-９]{5})(?![0-9０-９])", "****\\1", true],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})((?:[+]?86[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})?[1１][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[3-9３-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]))(?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９](?:[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]){3})(?![0-9０-９])", "\\1****\\2"],
  ["(?<![0-9０-９])(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-.．－\u2010\u2011\u2013\u2014·][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})[(（]?(0[0-9０-９]{2,3})[)）]?[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９]{3,4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９]{4})(?![0-9０-９])", "\\1-****\\2"],
  ["((?:电话|座机|手机|联系方式|热线|[Tt][Ee][Ll])[：:]?[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})[0-9０-９]{3,4}[-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}([0-9０-９]{4})(?![0-9０-９])", "\\1****\\2"],
  ["(?<![0-9０-９][-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})(?<![A-Za-z][ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})(?<!(?:面积|预算|价格|价钱|单价|总价|房价|租金|工资|收入|费用|金额|造价|报价|大约|大概|约|共计|合计|共|第|房间|房号|门牌|单元|号楼|[¥￥$])[：:为在]?[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2})(?!(?:[1１][9９]|[2２][0０])[0-9０-９]{2}(?:[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-－\u2010\u2011\u2013\u2014][ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}|[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2})(?:[1１][9９]|[2２][0０])[0-9０-９]{2})(?!(?:[1１][9９]|[2２][0０])[0-9０-９]{2}[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-－\u2010\u2011\u2013\u2014][ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[0０])(?![2２][0-3０-３][0-5０-５][0-9０-９][ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-－\u2010\u2011\u2013\u2014][ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}(?:[01０１][0-9０-９]|[2２][0-4０-４])[0-5０-５][0-9０-９])[2-9２-９][0-9０-９]{3}(?:[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[-－\u2010\u2011\u2013\u2014][ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}|[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{1,2})([0-9０-９]{4})(?![-.．－\u2010\u2011\u2013\u2014· \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[0-9０-９])(?![ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}(?:平方|平米|㎡|米|公里|千米|厘米|毫米|元|块|万|亿|千|百|年|月|日|号|天|周|小时|分|秒|人|户|个|次|位|名|家|间|套|栋|幢|层|室|辆|台|件|斤|公斤|千克|克|吨|升|度|岁|期|届|级|页|条|之间|左右|以上|以下|以内|不等|一平|每平|[%％℃A-Za-z]))", "****\\1"],
  ["(?<![0-9０-９])[0-9０-９]{3,}([0-9０-９]{4})(?![0-9０-９])(?!(?<![0-9０-９]{13})(?:[.．][0-9０-９]{1,2}(?![0-9０-９])(?!点|时|月|日|号)|[ \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,2}[)）]?(?:元(?!旦)|万元|亿元|块钱)))", "****\\1"],
  ["((?:我叫|本人叫|本人姓名|姓名|名叫|联系人姓名|联系人|户主|申请人|当事人|投诉人|反映人|来电人|报修人|求助人|举报人|报案人|(?:业主|住户|租户|房东)(?=[：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}[：:])|(?:我是)(?:(?=[：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}(?:[为是][：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})?(?:万俟|司马|上官|欧阳|夏侯|诸葛|闻人|东方|赫连|皇甫|尉迟|公羊|澹台|公冶|宗政|濮阳|淳于|单于|太叔|申屠|公孙|仲孙|轩辕|令狐|钟离|宇文|长孙|慕容|鲜于|闾丘|司徒|司空|亓官|司寇|子车|颛孙|端木|巫马|公西|漆雕|乐正|壤驷|公良|拓跋|夹谷|宰父|谷梁|段干|百里|东郭|南门|呼延|归海|羊舌|微生|梁丘|左丘|东门|西门|商牟|伯赏|南宫|第五|太史|独孤|[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福肖付覃])[㐀-䶿一-鿿]{1,2}(?:[：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff，,。.、；;！!？?）)」』”\"（(【～~…\u2014/·‘’0-9０-９A-Za-z\n\r-]|住|家住|现住|居住|系|是|本|我|想|要|在|向|来电|今年|现年|电话|手机|联系|反映|投诉|咨询|请问|男|女|老婆|老公|妻子|丈夫|爱人|儿子|女儿|父亲|母亲|[一二三四五六七八九十]|$))|(?![：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}(?:[为是][：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})?(?:万俟|司马|上官|欧阳|夏侯|诸葛|闻人|东方|赫连|皇甫|尉迟|公羊|澹台|公冶|宗政|濮阳|淳于|单于|太叔|申屠|公孙|仲孙|轩辕|令狐|钟离|宇文|长孙|慕容|鲜于|闾丘|司徒|司空|亓官|司寇|子车|颛孙|端木|巫马|公西|漆雕|乐正|壤驷|公良|拓跋|夹谷|宰父|谷梁|段干|百里|东郭|南门|呼延|归海|羊舌|微生|梁丘|左丘|东门|西门|商牟|伯赏|南宫|第五|太史|独孤|[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福肖付覃])[^：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff，,。、；;！!？?\n\r]{0,7}(?:小区|花园|家园|新村|新城|公寓|大厦|广场|雅苑|华苑|花苑|名苑|庭院|之城|帝景|街道|社区|集团|公司|企业|单位|银行|学校|大学|学院|中学|小学|医院|物业|中心|协会|委员会|公园|宾馆|酒店|业主|职工|员工|居民|村民|住户|租户|老师|学生|家长|党员|干部|号楼|单元|一名|一位|村委|乡镇|[一二三四五六七八九]期|[省市县区]))))[：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3}(?:[为是][：: \u00a0\u3000\t\u200b\u200c\u200d\ufeff]{0,3})?)(?!党员|居民|家属|家人|家长|家住|家中|家里|家庭|居住|房东|房主|房屋|干部|单位|公司|和电话|和手机|和联系|和地址|和住址|和身份|应当|应该|相信|强行|强烈|通过|有关|于今年|于今日|于今天|曾经多次|曾多次|农民|文盲|年过)((?:万俟|司马|上官|欧阳|夏侯|诸葛|闻人|东方|赫连|皇甫|尉迟|公羊|澹台|公冶|宗政|濮阳|淳于|单于|太叔|申屠|公孙|仲孙|轩辕|令狐|钟离|宇文|长孙|慕容|鲜于|闾丘|司徒|司空|亓官|司寇|子车|颛孙|端木|巫马|公西|漆雕|乐正|壤驷|公良|拓跋|夹谷|宰父|谷梁|段干|百里|东郭|南门|呼延|归海|羊舌|微生|梁丘|左丘|东门|西门|商牟|伯赏|南宫|第五|太史|独孤|[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福肖付覃]))(?!先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大哥|大姐|奶奶|爷爷|师傅|老师|经理|书记|主任|同志|医生|律师|警官|某某?)[㐀-䶿一-鿿](?:(?![和与及](?:万俟|司马|上官|欧阳|夏侯|诸葛|闻人|东方|赫连|皇甫|尉迟|公羊|澹台|公冶|宗政|濮阳|淳于|单于|太叔|申屠|公孙|仲孙|轩辕|令狐|钟离|宇文|长孙|慕容|鲜于|闾丘|司徒|司空|亓官|司寇|子车|颛孙|端木|巫马|公西|漆雕|乐正|壤驷|公良|拓跋|夹谷|宰父|谷梁|段干|百里|东郭|南门|呼延|归海|羊舌|微生|梁丘|左丘|东门|西门|商牟|伯赏|南宫|第五|太史|独孤|[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪年爱阳佟言福肖付覃]))[㐀-䶿一-鿿])?", "\\1\\2**"],
  CHAINED_NAME,
  CHAINED_NAME,
  CHAINED_NAME,
];

/** The masked text of `column`, with this migration's masks. */
export function maskedColumnExpression(column: string): string {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return MASKS.reduce(
    (inner, [pattern, replacement, onlyIfLuhn]) =>
      `${onlyIfLuhn ? LUHN_MASK_FUNCTION : 'regexp_replace'}(${inner}, ${literal(pattern)}, ${literal(replacement)}${onlyIfLuhn ? '' : ", 'g'"})`,
    column,
  );
}

/**
 * `pattern` replaced by `replacement` in `text` at every match whose digits (full-width ones too)
 * pass the Luhn check and whose groups are no list of numbers, the others left as written:
 * maskFreeText's onlyIfLuhn masks. A list (privacy.ts's isListOfNumbers): three groups or more, all
 * of four digits, each from the one before by the same step (6201 6202 6203 6204) or rising by 1
 * to 100 (3301 3302 3303 3308). Matches are
 * found as regexp_replace's 'g' finds them, in one pass (regexp_matches, and the text between them
 * by regexp_split_to_array); the replacement is applied to the match alone.
 * Immutable: the stored masked copies call it.
 */
const CREATE_LUHN_MASK_FUNCTION = `create function ${LUHN_MASK_FUNCTION}(text text, pattern text, replacement text) returns text
language plpgsql immutable strict parallel safe as $$
declare
  -- The text between the matches and the matches, each found in one pass over the whole text, as
  -- regexp_replace's 'g' finds them (lookbehinds read the text before). Finding each match from
  -- the end of the last one (regexp_instr) made a 5,000-character body take 3 s.
  pieces text[] := regexp_split_to_array(text, pattern);
  result text := pieces[1];
  piece int := 1;
  found text[];
  candidate text;
  digits text;
  digit int;
  total int;
  groups text[];
  step int;
  same_step boolean;
  small_rise boolean;
begin
  for found in select regexp_matches(text, '(' || pattern || ')', 'g') loop
    piece := piece + 1;
    candidate := found[1];
    digits := regexp_replace(translate(candidate, '０１２３４５６７８９', '0123456789'), '[^0-9]', '', 'g');
    total := 0;
    for i in 0 .. length(digits) - 1 loop
      digit := substr(digits, length(digits) - i, 1)::int;
      if i % 2 = 1 then
        digit := digit * 2;
        if digit > 9 then digit := digit - 9; end if;
      end if;
      total := total + digit;
    end loop;
    groups := regexp_split_to_array(translate(candidate, '０１２３４５６７８９', '0123456789'), '[^0-9]+');
    same_step := array_length(groups, 1) >= 3 and not exists (select from unnest(groups) as g where length(g) <> 4);
    small_rise := same_step;
    if same_step then
      step := groups[2]::int - groups[1]::int;
      for i in 2 .. array_length(groups, 1) loop
        if groups[i]::int - groups[i - 1]::int <> step then same_step := false; end if;
        if groups[i]::int - groups[i - 1]::int not between 1 and 100 then small_rise := false; end if;
      end loop;
    end if;
    result := result
      || case when total % 10 = 0 and not (same_step or small_rise) then regexp_replace(candidate, pattern, replacement) else candidate end
      || pieces[piece];
  end loop;
  return result;
end
$$;`;

/**
 * The masks now catch more and mask less where they should not:
 * - names after the cues of a complaint (投诉人, 反映人, 来电人, 报修人, 求助人, 举报人, 报案人), and after
 *   业主, 住户, 租户, 房东 with a colon (业主：王建国; bare, 业主安全 and 业主有权 are no names);
 * - every name of a list after one cue (联系人王建国、李秀英 showed 李秀英);
 * - a local number written 4-4 without the word 电话 (8877-6655), where no range, amount, unit,
 *   year pair or list of numbers says it is none;
 * - bank cards in groups only where the digits pass the Luhn check and the groups are no list of
 *   rooms (6201 6202 6203 6204 passes the check), 13 to 19 digits (not five groups of four, nor the
 *   first groups of a longer list): room lists (3301 3302 3303 3304) read as cards;
 * - no range of hours (2000-2200), year and serial (2014-0036) or price range before 一平/每平 is
 *   read as a local number, and no amount of money (1020408元, 4242835.81) as a run of 7 digits.
 * The stored masked copies the search compares are recomputed with the new masks (each column
 * dropped and added again, as PostgreSQL 15 cannot change a generated column's expression), after
 * the Luhn function they call is created; down drops it after the columns no longer use it.
 */
export class Migration20261207100000_free_text_masks_chained_names_local_numbers extends Migration {
  override async up(): Promise<void> {
    this.addSql(CREATE_LUHN_MASK_FUNCTION);
    this.redefine(maskedColumnExpression);
  }

  override async down(): Promise<void> {
    this.redefine(previousExpression);
    this.addSql(`drop function ${LUHN_MASK_FUNCTION}(text, text, text);`);
  }

  private redefine(expression: (column: string) => string): void {
    for (const [table, column] of MASKED_COLUMNS) {
      this.addSql(`alter table "${table}" drop column "${column}_masked", add column "${column}_masked" text generated always as (${expression(column)}) stored;`);
    }
  }
}

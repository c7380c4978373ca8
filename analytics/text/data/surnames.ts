/**
 * Chinese surnames, for finding person names in residents' texts (see privacy.ts).
 *
 * Many surnames are also everyday words (高, 黄, 路, 水, 车, 连, 家, 东方, 百里): a surname alone
 * never makes anything a name; privacy.ts asks for a name-shaped word after it.
 */

/**
 * The most common single-character surnames (~100, about 90% of people). The text scrubbers act
 * on these before segmentation (王阿姨, 小李), and a given name jieba splits off after one of them
 * is taken on its shape alone (王/nr 桂兰/ns).
 */
export const COMMON_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';

/**
 * Every single-character surname of the 百家姓, in its order (its closing lines pair single
 * surnames: 晋楚, 闫法, 汝鄢, …), with the variants 郤 (for 舄) and 鬱 and the modern 肖, 付, 覃 it lacks.
 */
export const BAIJIAXING_SURNAMES =
  '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎' +
  '鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄' +
  '和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭' +
  '梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚' +
  '程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫' +
  '宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双' +
  '闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍舄郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容' +
  '向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空' +
  '曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴佘佴墨哈谯笪' +
  '年爱阳佟言福' +
  '肖付覃';

/** The compound surnames of the 百家姓, and 太史 and 独孤 that it lacks. */
export const COMPOUND_SURNAMES: readonly string[] = [
  '万俟', '司马', '上官', '欧阳', '夏侯', '诸葛', '闻人', '东方', '赫连', '皇甫', '尉迟', '公羊', '澹台', '公冶',
  '宗政', '濮阳', '淳于', '单于', '太叔', '申屠', '公孙', '仲孙', '轩辕', '令狐', '钟离', '宇文', '长孙', '慕容',
  '鲜于', '闾丘', '司徒', '司空', '亓官', '司寇', '子车', '颛孙', '端木', '巫马', '公西', '漆雕', '乐正', '壤驷',
  '公良', '拓跋', '夹谷', '宰父', '谷梁', '段干', '百里', '东郭', '南门', '呼延', '归海', '羊舌', '微生', '梁丘',
  '左丘', '东门', '西门', '商牟', '伯赏', '南宫', '第五', '太史', '独孤',
];

/**
 * Compound surnames that are also everyday words, places or titles (东方 the east, 西门 a west
 * gate, 第五 fifth, 百里 a hundred li, 长孙 an eldest grandson, 濮阳 a city, 公羊 a ram, 单于 a
 * title): a name only when a given name follows. The others are a surname wherever they stand.
 */
export const COMPOUND_SURNAMES_ALSO_WORDS: readonly string[] = [
  '东方', '西门', '南门', '东门', '东郭', '百里', '第五', '长孙', '濮阳', '单于', '司空', '司寇', '太史', '太叔',
  '南宫', '公羊', '微生', '闻人', '宗政', '夹谷', '归海', '梁丘', '谷梁', '子车',
];

import type { KeywordRules } from '../evaluate';

/**
 * A hand-written keyword baseline for the seven first-level labels of the 2020 Teddy Cup
 * messages (附件2), to put the classifier's figures in context: the first label, in this
 * order, any of whose words occurs in the message wins; none → the majority label.
 * Written from the label names and general knowledge, not tuned on the data.
 */
export const TEDDY_KEYWORD_RULES: KeywordRules = [
  ['卫生计生', ['医院', '医生', '看病', '疫苗', '计生', '生育', '二胎', '护士', '卫生院', '医疗', '药']],
  ['教育文体', ['学校', '学生', '老师', '教师', '幼儿园', '入学', '学位', '教育', '考试', '培训', '体育', '文化']],
  ['劳动和社会保障', ['社保', '养老保险', '医保', '工资', '退休', '养老金', '劳动', '失业', '欠薪', '公积金', '就业']],
  ['交通运输', ['公交', '出租车', '地铁', '交通', '驾驶', '车辆', '客运', '高速', '网约车', '快递', '运输']],
  ['环境保护', ['污染', '环保', '排放', '噪音', '噪声', '废气', '粉尘', '异味', '臭', '污水', '垃圾焚烧']],
  ['商贸旅游', ['商家', '消费', '购物', '超市', '旅游', '景区', '商场', '价格', '传销', '退款', '质量']],
  ['城乡建设', ['小区', '物业', '房', '拆迁', '建设', '施工', '道路', '路灯', '规划', '开发商', '燃气', '供水']],
];

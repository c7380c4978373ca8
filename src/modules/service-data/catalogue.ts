import { ResidentGroup as G } from '../../common/resident-group';
import { groupsToMask } from './resident-groups';

/**
 * The one-window catalogue (7 categories, ~200 services) as the service-data migration
 * loaded it. Kept here for the generator (which needs codes and weights without a database)
 * and for tests; the migration holds its own literal INSERTs so it never changes.
 */
export interface CatalogueEntry {
  code: string;
  name: string;
  /** Second-level request category code. */
  category: string;
  isConsultation: boolean;
  deadlineWorkingDays: number;
  residentGroupMask: number;
}

/** Second-level categories the service-data migration adds (the closed-loop migration has the rest). */
export const EXTRA_CATEGORIES: readonly [code: string, name: string, parent: string][] = [
  ['SOC-UNEMPLOYMENT', '失业保险', 'SOC'],
  ['CIV-VETERAN', '退役军人优抚', 'CIV'],
  ['CIV-FUNERAL', '殡葬服务', 'CIV'],
  ['CIV-CHILD', '儿童关爱', 'CIV'],
  ['HEALTH-MATERNAL', '妇幼保健', 'HEALTH'],
  ['HEALTH-FOOD', '食品卫生', 'HEALTH'],
  ['HOUSING-SANITATION', '环境卫生', 'HOUSING'],
  ['HOUSING-ROADS', '道路设施', 'HOUSING'],
  ['HOUSING-UTILITIES', '水电气暖', 'HOUSING'],
  ['JOB-ASSIST', '就业援助', 'JOB'],
  ['CARE-HOME', '居家养老', 'CARE'],
  ['CERT-HOUSEHOLD', '户籍办理', 'CERT'],
  ['CERT-BUSINESS', '经营许可', 'CERT'],
];

type Section = [category: string, days: number, groups: G[], demands: string[], consultations: string[]];

const SECTIONS: Section[] = [
  ['SOC-INSURANCE', 5, [G.GENERAL], ['城乡居民养老保险参保登记', '灵活就业人员社保缴费', '社保关系转移接续', '社保卡申领', '社保卡挂失补办', '参保缴费证明打印'], ['社保参保政策咨询', '社保缴费基数咨询']],
  ['SOC-PENSION', 5, [G.ELDERLY], ['养老金领取资格认证', '养老待遇申领', '丧葬补助金申领', '养老金发放账户变更'], ['养老待遇政策咨询', '退休办理咨询']],
  ['SOC-MEDICAL', 10, [G.GENERAL, G.ELDERLY], ['城乡居民医保参保登记', '医保异地就医备案', '门诊慢特病待遇认定', '医疗费用手工报销', '医保个人账户家庭共济'], ['医保报销政策咨询', '异地就医咨询']],
  ['SOC-UNEMPLOYMENT', 10, [G.YOUTH, G.GENERAL], ['失业登记', '失业保险金申领', '稳岗返还申请'], ['失业保险政策咨询']],
  ['CIV-SUBSIDY', 20, [G.LOW_INCOME], ['最低生活保障申请', '特困人员供养申请', '临时救助申请', '低保年度复核', '低收入家庭认定'], ['社会救助政策咨询', '低保条件咨询']],
  ['CIV-MARRIAGE', 1, [G.YOUTH, G.WOMEN], ['婚姻登记预约', '婚姻状况证明'], ['婚姻登记咨询']],
  ['CIV-ELDERLY-ALLOWANCE', 15, [G.ELDERLY], ['高龄津贴申领', '老年人优待证办理', '百岁老人长寿补贴'], ['高龄津贴政策咨询']],
  ['CIV-VETERAN', 15, [G.GENERAL], ['退役军人信息采集', '优待证申领', '优抚对象抚恤金申领', '光荣牌悬挂'], ['优抚政策咨询']],
  ['CIV-FUNERAL', 5, [G.ELDERLY, G.LOW_INCOME], ['惠民殡葬补贴申领', '骨灰安放预约'], ['殡葬政策咨询']],
  ['CIV-CHILD', 15, [G.CHILDREN, G.LOW_INCOME], ['困境儿童基本生活费申领', '留守儿童关爱登记', '孤儿基本生活费申领'], ['儿童福利政策咨询']],
  ['HEALTH-FAMILY-DOCTOR', 3, [G.ELDERLY, G.DISABLED], ['家庭医生签约', '家庭医生续约', '上门巡诊预约', '家庭病床申请'], ['家庭医生服务咨询']],
  ['HEALTH-VACCINE', 1, [G.CHILDREN, G.ELDERLY], ['儿童预防接种预约', '成人疫苗接种预约', '预防接种证补办', '入学入托接种查验'], ['疫苗接种咨询']],
  ['HEALTH-CHRONIC', 3, [G.ELDERLY], ['高血压随访登记', '糖尿病随访登记', '老年人健康体检预约', '慢病长处方申请'], ['慢病管理咨询']],
  ['HEALTH-MATERNAL', 5, [G.WOMEN, G.CHILDREN], ['母子健康手册建档', '出生医学证明办理', '孕产妇健康管理登记', '两癌筛查预约'], ['生育政策咨询', '妇幼保健咨询']],
  ['HEALTH-FOOD', 5, [G.GENERAL], ['食品安全投诉', '餐饮卫生投诉', '病媒生物防制申请'], ['食品卫生咨询']],
  ['HOUSING-PROPERTY', 5, [G.GENERAL], ['物业服务投诉', '物业费纠纷调解', '业主大会筹备申请', '小区公共收益公示申请'], ['物业管理政策咨询']],
  ['HOUSING-REPAIR', 10, [G.GENERAL, G.ELDERLY], ['房屋漏水报修', '公共部位维修申请', '住宅专项维修资金申请', '危房鉴定申请'], ['房屋维修咨询']],
  ['HOUSING-PARKING', 5, [G.GENERAL], ['小区停车证办理', '占用消防通道举报', '充电桩安装申请'], ['停车管理咨询']],
  ['HOUSING-LIGHTS', 3, [G.GENERAL], ['路灯报修', '楼道灯报修'], ['照明设施咨询']],
  ['HOUSING-DRAINAGE', 3, [G.GENERAL], ['下水道堵塞报修', '雨水井盖缺损报修', '积水点报告'], ['排水设施咨询']],
  ['HOUSING-ELEVATOR', 20, [G.ELDERLY, G.DISABLED], ['既有住宅加装电梯申请', '加装电梯补贴申领', '电梯故障报修'], ['加装电梯政策咨询']],
  ['HOUSING-SANITATION', 3, [G.GENERAL], ['垃圾清运申请', '大件垃圾预约清运', '建筑垃圾清运申请', '卫生死角清理', '垃圾分类桶申领', '乱堆乱放举报', '动物尸体清理'], ['垃圾分类咨询']],
  ['HOUSING-ROADS', 5, [G.GENERAL], ['道路破损报修', '交通信号灯报修', '交通标志报修', '人行道维修', '树木修剪申请', '废弃车辆清理'], ['道路设施咨询']],
  ['HOUSING-UTILITIES', 3, [G.GENERAL], ['供水故障报修', '水费账单异议', '燃气开户', '燃气安全检查预约', '供暖报修', '停电报修'], ['水电气暖缴费咨询']],
  ['JOB-REGISTER', 5, [G.YOUTH, G.GENERAL], ['就业登记', '就业创业证申领', '高校毕业生就业报到', '灵活就业登记'], ['就业政策咨询', '求职招聘咨询']],
  ['JOB-TRAINING', 10, [G.YOUTH, G.WOMEN], ['职业技能培训报名', '培训补贴申领', '职业技能等级认定报名'], ['职业培训咨询']],
  ['JOB-LOAN', 20, [G.YOUTH], ['创业担保贷款申请', '一次性创业补贴申领', '创业孵化基地入驻申请'], ['创业扶持政策咨询']],
  ['JOB-ASSIST', 10, [G.LOW_INCOME, G.DISABLED], ['就业困难人员认定', '公益性岗位申请', '社保补贴申领'], ['就业援助咨询']],
  ['CARE-CANTEEN', 1, [G.ELDERLY], ['老年助餐登记', '助餐补贴申领', '送餐上门申请'], ['老年助餐咨询']],
  ['CARE-DAYCARE', 5, [G.ELDERLY], ['日间照料中心入托申请', '短期托养申请', '老年人能力评估申请'], ['日间照料咨询']],
  ['CARE-HOME', 10, [G.ELDERLY, G.DISABLED], ['居家养老服务申请', '适老化改造申请', '智能呼叫设备安装', '独居老人探访登记'], ['居家养老政策咨询']],
  ['CARE-DISABILITY', 15, [G.DISABLED], ['残疾人证办理', '残疾人两项补贴申请', '辅助器具适配申请', '残疾人康复服务申请'], ['残疾人政策咨询']],
  ['CARE-ACCESSIBILITY', 20, [G.DISABLED, G.ELDERLY], ['无障碍设施改造申请', '无障碍设施损坏报修'], ['无障碍设施咨询']],
  ['CERT-ID', 7, [G.GENERAL], ['居民身份证申领', '身份证换领', '身份证挂失补领', '临时身份证办理'], ['身份证办理咨询']],
  ['CERT-RESIDENCE', 7, [G.GENERAL, G.YOUTH], ['居住证申领', '居住证签注', '居住登记'], ['居住证咨询']],
  ['CERT-PROOF', 1, [G.GENERAL], ['居住证明开具', '家庭关系证明开具', '无犯罪记录证明代办', '生存证明开具'], ['证明开具咨询']],
  ['CERT-HOUSEHOLD', 10, [G.GENERAL, G.CHILDREN], ['新生儿户口登记', '户口迁移', '户口簿补领', '分户办理'], ['户籍政策咨询']],
  ['CERT-BUSINESS', 5, [G.GENERAL], ['个体工商户登记代办', '食品经营许可代办', '营业执照变更代办'], ['营商服务咨询']],
];

export const SERVICE_CATALOGUE: readonly CatalogueEntry[] = SECTIONS.flatMap(([category, days, groups, demands, consultations]) => {
  const mask = groupsToMask(groups);
  const entries: CatalogueEntry[] = [];
  let n = 0;
  const code = () => `${category}-${String(++n).padStart(2, '0')}`;
  for (const name of demands) entries.push({ code: code(), name, category, isConsultation: false, deadlineWorkingDays: days, residentGroupMask: mask });
  for (const name of consultations) entries.push({ code: code(), name, category, isConsultation: true, deadlineWorkingDays: 0, residentGroupMask: mask });
  return entries;
});

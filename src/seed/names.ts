/**
 * Vocabularies and number formats for the demo city: people's names, street, community,
 * compound and unit names, party-organisation names, co-building duties, and the
 * identifiers people and units carry (resident ID numbers, unified social credit codes,
 * mobile numbers), each with a correct check character.
 *
 * The demo district is fictional (泉城区, code 370199) inside a real city (济南市, 3701),
 * so the data looks local without describing any real place.
 */
import type { Random } from './random';

export const DEMO_CITY = { name: '济南市', code: '3701', longitude: 117.0, latitude: 36.65 } as const;
export const DEMO_DISTRICT = { name: '泉城区', code: '370199' } as const;

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

/** Common surnames with rough relative frequencies (northern China leans to 王 / 张 / 李 / 刘). */
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 9.2], ['张', 7.8], ['李', 7.6], ['刘', 6.0], ['陈', 3.6], ['杨', 3.2], ['赵', 2.6], ['黄', 1.6],
  ['吴', 1.7], ['周', 1.7], ['孙', 2.2], ['徐', 1.6], ['马', 1.7], ['朱', 1.2], ['胡', 1.1], ['郭', 1.3],
  ['高', 1.4], ['于', 1.2], ['林', 0.8], ['何', 0.8], ['罗', 0.6], ['郑', 0.9], ['梁', 0.7], ['谢', 0.5],
  ['宋', 0.9], ['唐', 0.5], ['许', 0.7], ['韩', 0.9], ['冯', 0.7], ['邓', 0.4], ['曹', 0.8], ['彭', 0.4],
  ['曾', 0.3], ['田', 0.7], ['董', 0.8], ['袁', 0.5], ['潘', 0.4], ['蒋', 0.4], ['蔡', 0.4], ['魏', 0.7],
  ['吕', 0.6], ['丁', 0.6], ['任', 0.6], ['姜', 0.8], ['崔', 0.6], ['程', 0.5], ['苏', 0.5], ['杜', 0.6],
  ['范', 0.5], ['石', 0.5], ['贾', 0.6], ['夏', 0.3], ['付', 0.5], ['孟', 0.6], ['秦', 0.4], ['侯', 0.5],
  ['薛', 0.4], ['闫', 0.5], ['段', 0.3], ['史', 0.4], ['邵', 0.3], ['郝', 0.4], ['尹', 0.3], ['孔', 0.4],
  ['毛', 0.3], ['邢', 0.3], ['常', 0.3], ['牛', 0.3], ['鲁', 0.3], ['庞', 0.2], ['房', 0.2], ['焦', 0.2],
  ['申', 0.2], ['宁', 0.2], ['武', 0.3], ['葛', 0.3], ['纪', 0.2], ['欧阳', 0.05], ['司马', 0.02], ['诸葛', 0.02],
];

const MALE_CHARS_TRADITIONAL = [
  '建', '国', '军', '华', '明', '平', '强', '伟', '忠', '德', '福', '庆', '春', '生', '山', '林', '成', '文', '志', '永',
  '刚', '勇', '兵', '海', '东', '新', '红', '卫', '学', '胜', '宝', '贵', '荣', '祥', '俊', '峰', '光', '立', '振', '昌',
];
const MALE_CHARS_MODERN = [
  '伟', '磊', '涛', '超', '斌', '鹏', '辉', '飞', '鑫', '波', '宁', '杰', '凯', '浩', '宇', '博', '晨', '阳', '轩', '睿',
  '泽', '宏', '龙', '健', '昊', '然', '子', '豪', '航', '铭', '帅', '亮', '锋', '旭', '琦', '嘉', '逸', '梓', '一', '诚',
];
const FEMALE_CHARS_TRADITIONAL = [
  '秀', '英', '兰', '珍', '桂', '芳', '凤', '玉', '梅', '华', '淑', '萍', '红', '霞', '丽', '琴', '云', '莲', '敏', '静',
  '翠', '荣', '春', '爱', '菊', '美', '素', '燕', '艳', '娟',
];
const FEMALE_CHARS_MODERN = [
  '娜', '敏', '静', '丽', '艳', '娟', '婷', '雪', '琳', '慧', '颖', '洁', '倩', '欣', '怡', '悦', '佳', '晶', '蕾', '丹',
  '彤', '璐', '琪', '雯', '月', '萱', '涵', '诗', '雨', '梦', '晓', '思', '薇', '瑶', '妍', '玥', '可', '心', '文', '露',
];
/** Whole given names typical of people born in the 1940s-1960s. */
const MALE_CLASSIC_NAMES = ['建国', '国庆', '卫东', '红军', '建军', '国强', '建华', '志强', '振华', '爱民', '胜利', '跃进', '援朝', '保国', '永胜', '德胜', '长青'];
const FEMALE_CLASSIC_NAMES = ['秀兰', '桂英', '玉兰', '淑珍', '秀英', '桂兰', '凤英', '玉珍', '淑英', '秀珍', '素芳', '爱华', '红梅', '丽华', '翠华', '美兰'];

/** A believable full name for someone of this gender born in `birthYear`. */
export function personName(random: Random, female: boolean, birthYear: number): string {
  const surname = random.weightedPick(SURNAMES, (s) => s[1])[0];
  if (birthYear < 1966 && random.chance(0.3)) return surname + random.pick(female ? FEMALE_CLASSIC_NAMES : MALE_CLASSIC_NAMES);
  // Older generations drew from a traditional pool; younger ones mostly from a modern one.
  // Both characters come from the same pool, so a name does not mix generations.
  const modernShare = birthYear < 1965 ? 0.1 : birthYear < 1980 ? 0.45 : 0.85;
  const pool = random.chance(modernShare)
    ? female ? FEMALE_CHARS_MODERN : MALE_CHARS_MODERN
    : female ? FEMALE_CHARS_TRADITIONAL : MALE_CHARS_TRADITIONAL;
  const first = random.pick(pool);
  if (random.chance(surname.length > 1 ? 0.5 : 0.22)) return surname + first;
  let second = random.pick(pool);
  for (let tries = 0; second === first && tries < 3; tries++) second = random.pick(pool);
  return surname + first + second;
}

// ---------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------

export const STREET_NAMES = [
  '文化路街道', '和平街道', '建新街道', '东关街道', '解放路街道', '新华街道', '朝阳街道', '长青街道',
  '振兴街道', '青年路街道', '舜耕街道', '龙泉街道', '泉景街道', '明湖街道', '燕山街道', '千佛山街道',
];

/** Base names; the generator appends 社区. More than the 60 the city scale needs. */
export const COMMUNITY_BASE_NAMES = [
  '幸福里', '和平路', '建设新村', '文化苑', '翠竹园', '阳光花园', '东方红', '向阳', '花园路', '丁香园',
  '玉兰', '紫薇', '南苑', '北苑', '东苑', '西苑', '泉景', '锦绣城', '明湖', '青龙',
  '佛山苑', '燕子山', '历山', '山大路', '经纬', '和谐', '祥和', '民生', '工人新村', '八一',
  '红星', '光明', '团结', '友谊', '兴隆', '福康', '康乐', '长寿', '润华', '绿景',
  '金色港湾', '新苑', '华苑', '怡园', '颐和', '盛世花园', '书香苑', '学苑', '育英', '杏林',
  '百花', '牡丹', '芙蓉', '荷花', '梧桐', '银杏', '枫林', '松柏', '桃园', '杨柳',
  '滨河', '清河', '泺源', '五龙潭', '舜华', '舜玉', '二七', '七里山', '玉函', '英雄山',
  '王官庄', '张庄', '刘家庄', '姚家', '甸柳', '燕翔', '洪楼', '华山', '全福', '板桥',
  '铁路新村', '机床新村', '钢城新苑', '电建', '纺织新村', '永安', '太平', '安居', '丰收', '文昌',
  '建华', '青年', '东城', '西城', '南山', '北辰', '朝晖', '映月', '龙湖', '凤凰',
];

const COMPOUND_PREFIXES = [
  '阳光', '翠竹', '金桂', '锦绣', '和谐', '幸福', '祥和', '丽景', '紫荆', '银河', '泉景', '名泉', '明湖', '舜华',
  '百合', '书香', '嘉园', '御景', '东城', '西城', '南山', '北辰', '康桥', '水岸', '绿洲', '香榭', '怡和', '恒盛',
  '鑫苑', '华府', '金域', '海棠', '玉泉', '兴华', '建工', '教委', '电业', '邮电', '供销', '纺织',
];
const COMPOUND_SUFFIXES = ['花园', '家园', '小区', '新苑', '公寓', '佳苑', '华庭', '雅居', '名邸', '新村', '宿舍'];

/** A residential compound (小区) name, e.g. 阳光花园, 邮电宿舍. */
export function compoundName(random: Random): string {
  return random.pick(COMPOUND_PREFIXES) + random.pick(COMPOUND_SUFFIXES);
}

/** Buildings are numbered within their compound: 翠竹园3号楼. */
export function buildingName(compound: string, number: number): string {
  return `${compound}${number}号楼`;
}

export function gridName(communityName: string, number: number): string {
  return `${communityName}第${number}网格`;
}

export const ROAD_NAMES = [
  '经十路', '解放路', '历山路', '和平路', '文化东路', '山大路', '二环东路', '花园路', '工业南路', '青年东路',
  '泉城路', '经七路', '纬二路', '舜耕路', '英雄山路', '历黄路', '华能路', '燕子山路', '千佛山路', '山师东路',
  '文化西路', '朝山街', '东关大街', '明湖东路', '北园大街', '七里山路', '玉函路', '建设路', '共青团路', '趵突泉北路',
];

/** A street address inside the demo district. */
export function districtAddress(random: Random): string {
  return `${DEMO_CITY.name}${DEMO_DISTRICT.name}${random.pick(ROAD_NAMES)}${random.int(1, 299)}号`;
}

const OTHER_CITY_DISTRICTS = ['历下区', '市中区', '槐荫区', '天桥区', '历城区', '长清区', '章丘区', '济阳区', '莱芜区'];

/** An address elsewhere in the city, for units from outside the district (区外单位). */
export function outOfDistrictAddress(random: Random): string {
  return `${DEMO_CITY.name}${random.pick(OTHER_CITY_DISTRICTS)}${random.pick(ROAD_NAMES)}${random.int(1, 599)}号`;
}

// ---------------------------------------------------------------------------
// Units (驻区单位 / 结对共建单位)
// ---------------------------------------------------------------------------

/** District departments: the usual paired units (Guanyun paired 117 of them to 26 communities). */
export const DISTRICT_AGENCIES = [
  '委组织部', '委宣传部', '委政法委员会', '委社会工作部', '民政局', '住房和城乡建设局', '市场监督管理局', '卫生健康局',
  '教育和体育局', '城市管理局', '人力资源和社会保障局', '司法局', '财政局', '应急管理局', '交通运输局', '文化和旅游局',
  '医疗保障局', '退役军人事务局', '水务局', '发展和改革局', '商务局', '审计局', '统计局', '信访局',
  '科学技术局', '行政审批服务局', '机关事务服务中心', '融媒体中心', '总工会', '妇女联合会', '残疾人联合会', '红十字会',
  '人民法院', '人民检察院', '委党校', '图书馆', '文化馆', '档案馆', '疾病预防控制中心', '消防救援大队',
];

/** City-level and state-owned units outside the district (区外单位), by kind. */
export const OUT_OF_DISTRICT_UNITS: Readonly<Record<'AGENCY' | 'ENTERPRISE' | 'HOSPITAL' | 'SCHOOL' | 'SOCIAL_ORGANIZATION', readonly string[]>> = {
  AGENCY: [
    '济南市住房和城乡建设局', '济南市民政局', '济南市城市管理局', '济南市市场监督管理局', '济南市卫生健康委员会', '济南市生态环境局',
    '济南市自然资源和规划局', '济南市交通运输局', '济南市应急管理局', '济南市水务局', '济南市医疗保障局', '济南市退役军人事务局',
    '济南市总工会', '共青团济南市委', '济南市妇女联合会', '济南市残疾人联合会', '国家税务总局济南市税务局', '济南市公安局交通警察支队',
  ],
  ENTERPRISE: [
    '国网济南供电公司', '济南港华燃气有限公司', '济南水务集团有限公司', '济南热力集团有限公司', '济南公共交通集团有限公司',
    '中国移动通信集团山东有限公司济南分公司', '中国联合网络通信有限公司济南市分公司', '中国电信股份有限公司济南分公司',
    '中国邮政集团有限公司济南市分公司', '济南城市建设集团有限公司', '济南城市投资集团有限公司', '山东高速集团有限公司济南分公司',
  ],
  HOSPITAL: ['济南市中心医院', '济南市第三人民医院', '济南市妇幼保健院', '济南市中医医院', '济南市第五人民医院', '济南市精神卫生中心'],
  SCHOOL: ['济南大学', '山东建筑大学', '山东师范大学', '济南职业学院', '山东劳动职业技术学院', '济南市第一职业中等专业学校'],
  SOCIAL_ORGANIZATION: ['济南市慈善总会', '济南市志愿服务联合会', '济南市社会工作协会', '济南市老年人体育协会'],
};

const BANKS = ['中国工商银行', '中国农业银行', '中国银行', '中国建设银行', '交通银行', '中国邮政储蓄银行', '齐鲁银行', '济南农村商业银行', '招商银行', '兴业银行'];

const ENTERPRISE_WORDS = [
  '鲁信', '泉城', '华信', '明德', '恒通', '正泰', '宏达', '嘉和', '福瑞', '康居', '金泉', '齐鲁', '海岱', '泰和', '瑞丰',
  '晨光', '博远', '中正', '诚信', '汇通', '联创', '天成', '新元', '华宇', '鼎盛', '永兴', '安泰', '九州', '银丰', '舜和',
  '东岳', '润泽', '卓越', '启航', '中联', '德润', '同济', '广源', '锦程', '众诚',
];
const ENTERPRISE_TRADES = [
  '科技有限公司', '信息技术有限公司', '建设工程有限公司', '商贸有限公司', '餐饮管理有限公司', '医药连锁有限公司', '文化传媒有限公司',
  '家政服务有限公司', '物流有限公司', '食品有限公司', '环保科技有限公司', '电子商务有限公司', '装饰工程有限公司', '超市有限公司',
  '养老服务有限公司', '教育咨询有限公司', '汽车服务有限公司', '酒店管理有限公司', '印刷有限公司', '电气设备有限公司',
];

const PROPERTY_BRANDS = [
  '万科物业服务有限公司济南分公司', '绿城物业服务集团有限公司济南分公司', '保利物业服务股份有限公司济南分公司',
  '碧桂园生活服务集团股份有限公司济南分公司', '中海物业管理有限公司济南分公司', '鲁能物业服务有限公司济南分公司',
  '金科智慧服务集团股份有限公司济南分公司', '招商局积余产业运营服务股份有限公司济南分公司',
];
const PROPERTY_WORDS = ['安居', '明德', '泉城', '鲁信', '城建', '金晖', '和信', '恒信', '宏达', '嘉和', '福瑞', '康居', '宜居', '祥和', '舜德', '泺源', '华润', '银座', '天泰', '佳和'];

const SOCIAL_ORG_NAMES = [
  '社会工作服务中心', '志愿者协会', '乐龄养老服务中心', '阳光助残服务中心', '青少年发展服务中心', '慈善总会', '老年人体育协会',
  '心理健康服务中心', '邻里互助服务中心', '社区发展基金会', '家庭教育指导服务中心', '妇女儿童服务中心', '法律援助服务中心',
  '文化艺术团', '社会组织联合会', '爱心助老服务社', '红十字志愿服务队', '公益创投服务中心',
];
const SOCIAL_ORG_WORDS = ['益心', '仁爱', '同心', '阳光', '春晖', '向日葵', '暖心', '和美', '善行', '邻里', '夕阳红', '惠民', '乐群', '启明'];

const DISTRICT_HOSPITALS = ['人民医院', '中医医院', '妇幼保健院', '第二人民医院', '口腔医院', '康复医院'];
const PRIVATE_HOSPITAL_WORDS = ['仁和', '康华', '博爱', '同济', '华康', '济民', '慈铭', '和佳', '安康', '永康'];
const PRIVATE_HOSPITAL_KINDS = ['医院', '口腔医院', '眼科医院', '中医门诊部', '康复医院', '护理院'];

const SCHOOL_NAMES_DISTRICT = [
  '实验小学', '实验中学', '实验初级中学', '第一中学', '第二中学', '第三中学', '第四中学', '第五中学', '第六中学', '第七中学',
  '第八中学', '第九中学', '第十中学', '第十一中学', '第十二中学', '职业中等专业学校', '特殊教育学校', '实验幼儿园', '第一幼儿园', '第二幼儿园',
];
const SCHOOL_KINDS_ROAD = ['小学', '幼儿园', '中学'];

/** Everything a unit name generator may draw on. */
export interface UnitNameContext {
  streetName: string;
  communityName: string;
  compound: string;
}

/** Strips the 街道 / 社区 suffix: 和平街道 → 和平. */
export function baseName(areaName: string): string {
  return areaName.replace(/(街道|社区)$/, '');
}

export function policeStationName(streetName: string, index: number): string {
  const base = baseName(streetName);
  return `济南市公安局${DEMO_DISTRICT.name}分局${base}${index === 0 ? '' : ['东', '西', '南', '北'][index - 1] ?? index}派出所`;
}

export function streetOfficeName(streetName: string): string {
  return `${DEMO_DISTRICT.name}人民政府${streetName}办事处`;
}

export function streetHealthCentreName(streetName: string): string {
  return `${DEMO_DISTRICT.name}${streetName}社区卫生服务中心`;
}

export function ownersCommitteeName(compound: string): string {
  return `${compound}业主委员会`;
}

export function propertyCompanyName(random: Random): string {
  if (random.chance(0.3)) return random.pick(PROPERTY_BRANDS);
  return `济南${random.pick(PROPERTY_WORDS)}物业服务有限公司`;
}

export function districtAgencyName(department: string): string {
  return `${DEMO_DISTRICT.name}${department}`;
}

export function hospitalName(random: Random, context: UnitNameContext): string {
  const r = random.next();
  if (r < 0.35) return `${DEMO_DISTRICT.name}${random.pick(DISTRICT_HOSPITALS)}`;
  if (r < 0.55) return `${context.communityName}卫生服务站`;
  return `济南${random.pick(PRIVATE_HOSPITAL_WORDS)}${random.pick(PRIVATE_HOSPITAL_KINDS)}`;
}

export function schoolName(random: Random, context: UnitNameContext): string {
  const r = random.next();
  if (r < 0.4) return `${DEMO_DISTRICT.name}${random.pick(SCHOOL_NAMES_DISTRICT)}`;
  if (r < 0.8) return `${DEMO_DISTRICT.name}${random.pick(ROAD_NAMES)}${random.pick(SCHOOL_KINDS_ROAD)}`;
  return `${DEMO_DISTRICT.name}${baseName(context.communityName)}幼儿园`;
}

export function enterpriseName(random: Random, context: UnitNameContext): string {
  const r = random.next();
  if (r < 0.18) {
    const bank = random.pick(BANKS);
    return `${bank}${bank.startsWith('济南') ? '' : '济南'}${baseName(random.chance(0.5) ? context.streetName : context.communityName)}支行`;
  }
  if (r < 0.25) return `${DEMO_DISTRICT.name}${baseName(context.communityName)}便民超市`;
  return `${random.chance(0.6) ? '山东' : '济南'}${random.pick(ENTERPRISE_WORDS)}${random.pick(ENTERPRISE_TRADES)}`;
}

export function socialOrganizationName(random: Random, context: UnitNameContext): string {
  const r = random.next();
  if (r < 0.4) return `${DEMO_DISTRICT.name}${random.pick(SOCIAL_ORG_WORDS)}${random.pick(SOCIAL_ORG_NAMES)}`;
  if (r < 0.7) return `${DEMO_DISTRICT.name}${baseName(context.streetName)}${random.pick(SOCIAL_ORG_NAMES)}`;
  return `${context.communityName}${random.pick(['志愿服务队', '老年协会', '文体协会', '邻里互助会', '睦邻服务社'])}`;
}

// ---------------------------------------------------------------------------
// Party organisations
// ---------------------------------------------------------------------------

export const partyOrgNames = {
  streetCommittee: (streetName: string) => `中共${streetName}工作委员会`,
  communityCommittee: (communityName: string) => `中共${communityName}委员会`,
  gridBranch: (communityName: string, gridNumber: number) => `${communityName}第${gridNumber}网格党支部`,
  buildingGroup: (buildingName: string) => `${buildingName}党小组`,
} as const;

/** Functional branches (功能型党支部): organised by purpose, attached to a street or a community. */
export const FUNCTIONAL_BRANCHES = {
  mobile: { suffix: '流动党员功能型党支部', description: '流动党员' },
  newEmployment: { suffix: '新就业群体功能型党支部', description: '新就业群体（快递员、外卖骑手、网约车司机）' },
  retired: { suffix: '退休党员党支部', description: '退休党员' },
  volunteer: { suffix: '志愿服务功能型党支部', description: '志愿服务' },
  inService: { suffix: '在职党员报到服务功能型党支部', description: '在职党员报到服务' },
} as const;
export type FunctionalBranchKind = keyof typeof FUNCTIONAL_BRANCHES;

export function functionalBranchName(areaName: string, kind: FunctionalBranchKind): string {
  return `${areaName}${FUNCTIONAL_BRANCHES[kind].suffix}`;
}

// ---------------------------------------------------------------------------
// Alliances and co-building agreements
// ---------------------------------------------------------------------------

export const PART_TIME_TITLES = { member: '兼职委员', deputySecretary: '兼职副书记' } as const;

/** Duties a co-building agreement (共驻共建协议) lists, in the order agreements usually give them. */
export const AGREEMENT_DUTIES = [
  '开放共享活动场地',
  '认领社区服务项目',
  '组织在职党员到社区报到服务',
  '参与社区环境整治',
  '资助困难群众',
  '参与“吹哨报到”问题处置',
  '联合开展主题党日活动',
  '提供专业志愿服务',
  '参与社区文明创建',
  '捐资支持民生实事项目',
  '帮扶微心愿认领',
  '参与矛盾纠纷排查化解',
  '开展政策宣讲和普法教育',
  '配合社区开展应急处置',
] as const;

/**
 * 服务岗位 a community offers to members who report there (双报到): title, what the post does,
 * the request category (code) it serves, and how popular it is (relative share of members).
 * The first three every community has; the rest are sampled.
 */
export const SERVICE_POSTS: ReadonlyArray<{ title: string; description: string; category: string | null; weight: number }> = [
  { title: '楼栋长', description: '联系本楼栋住户，收集意见诉求，传达社区通知，协助网格员排查隐患。', category: 'GRID-OPINION', weight: 5 },
  { title: '文明劝导员', description: '劝导楼道堆物、车辆乱停、高空抛物等不文明行为。', category: 'GRID-ORDER', weight: 4 },
  { title: '垃圾分类督导员', description: '早晚投放高峰在投放点值守，指导居民分类投放。', category: 'GRID-SANITATION', weight: 4 },
  { title: '平安巡逻员', description: '夜间和节假日巡查小区，发现治安隐患及时报告网格员。', category: 'GRID-SECURITY', weight: 3 },
  { title: '消防安全宣传员', description: '排查电动自行车楼道充电、消防通道堵塞，宣传消防安全常识。', category: 'GRID-FIRE', weight: 3 },
  { title: '矛盾纠纷调解员', description: '参与邻里纠纷、物业纠纷的排查和调解。', category: 'GRID-DISPUTE', weight: 2 },
  { title: '助老志愿者', description: '探访独居、高龄老人，提供代办、陪诊和助餐服务。', category: 'CARE-HOME', weight: 3 },
  { title: '政策宣讲员', description: '宣讲惠民政策，帮助居民线上办理社保、医保等业务。', category: 'GRID-PUBLICITY', weight: 2 },
  { title: '青少年课业辅导员', description: '周末和假期为双职工家庭的孩子辅导功课。', category: 'CIV-CHILD', weight: 2 },
  { title: '文体活动组织员', description: '组织广场舞、书画、合唱等文体活动，协助举办社区节日活动。', category: null, weight: 2 },
];

export function agreementTitle(unitName: string, communityName: string): string {
  return `${unitName}与${communityName}共驻共建协议`;
}

export function allianceName(areaName: string, model: 'ONE_THREE_N' | 'ONE_N_X' | 'BIG_PARTY_COMMITTEE'): string {
  if (model === 'BIG_PARTY_COMMITTEE') return `${areaName}大党委`;
  return `${areaName}“${model === 'ONE_THREE_N' ? '1+3+N' : '1+N+X'}”党建联盟`;
}

// ---------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156',
  '157', '158', '159', '166', '173', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '198', '199',
];

/** A mainland mobile number: 1[3-9] + 9 digits. */
export function mobilePhone(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

export function isValidResidentId(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return residentIdCheckChar(value.slice(0, 17)) === value[17];
}

/**
 * An 18-character resident ID (居民身份证号): region (6) + birth date (8) + sequence (3, odd
 * for men, even for women) + check character.
 */
export function residentIdNumber(random: Random, regionCode: string, birthDate: string, female: boolean): string {
  const sequence = random.int(0, 499) * 2 + (female ? 0 : 1);
  const first17 = regionCode + birthDate.replace(/-/g, '') + String(sequence).padStart(3, '0');
  return first17 + residentIdCheckChar(first17);
}

/** Region codes that may open a resident's ID: mostly the district itself, else elsewhere in the city. */
export const ID_REGION_CODES: ReadonlyArray<readonly [string, number]> = [
  [DEMO_DISTRICT.code, 75],
  ['370102', 4], ['370103', 4], ['370104', 3], ['370105', 3], ['370112', 4], ['370113', 1],
  ['370114', 2], ['370115', 1], ['370116', 1], ['370117', 1], ['370124', 0.5], ['370126', 0.5],
];

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714 check character of an 8-character organisation code body. */
function orgCodeCheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body[i];
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55; // A=10 … Z=35
    sum += value * ORG_CODE_WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** GB 32100 check character of the first 17 characters of a unified social credit code. */
export function socialCreditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/**
 * An 18-character unified social credit code (统一社会信用代码): registering authority and
 * type (2, e.g. 11 agency, 12 public institution, 51 association, 52 private non-enterprise,
 * 91 company), region (6), organisation code (9, with its own check) and the check character.
 */
export function socialCreditCode(random: Random, authorityAndType: string, regionCode: string): string {
  let body = '';
  if (authorityAndType === '91' && random.chance(0.5)) {
    // Companies registered since 2015 carry an "MA" organisation code with letters.
    body = 'MA';
    while (body.length < 8) body += USCC_CHARS[random.int(0, USCC_CHARS.length - 1)];
  } else {
    while (body.length < 8) body += String(random.int(0, 9));
  }
  const first17 = authorityAndType + regionCode + body + orgCodeCheckChar(body);
  return first17 + socialCreditCheckChar(first17);
}

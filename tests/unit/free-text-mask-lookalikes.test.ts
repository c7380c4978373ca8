import { maskFreeText } from '../../src/common/privacy';

/*
 * A review of 92d6ccf (free-text masks: names after 车主/房主/家属 where the name "ends as one", more roles before a
 * colon, WeChat/QQ ids, plates). Each text below was left alone before that commit and is ordinary dashboard text, no
 * personal data in it; then the masks that are still wanted, the widened ones among them.
 */
describe('ordinary text after a bare 车主/房主/家属 is no name: those name a person only before a colon', () => {
  test.each([
    '保障车主安全，', // 安 is a surname, 安全 + ， "ended as a name"
    '车主和物业，', // 和 is a surname
    '房主和租户。',
    '家属陈述，', // 陈述 = statement
    '车主满意。',
    '车主付费。',
    '车主支付。',
    '车主方便。',
    '请家属安心。',
    '家属常来，',
    '车主何在？',
    '家属为何不管？',
    // A bare role word before a name cannot be told from one before a word: spaced or not, the name stays.
    '家属王 建国，',
    '车主王 建 国，',
  ])('%s stays', (text) => {
    expect(maskFreeText(text)).toBe(text);
  });

  test.each([
    ['家属：王 建国，', '家属：王**，'],
    ['车主：王建国', '车主：王**'],
  ])('after a colon, a name: %s → %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });
});

describe('ordinary text after a role and a colon is no name (NAME_CUE_WORDS_BEFORE_COLON)', () => {
  test.each(['患者：高血压', '老人：高龄独居', '家长：周末接送'])('%s stays', (text) => {
    expect(maskFreeText(text)).toBe(text);
  });
  // 负责人 and 受害人 stay cues: the real messages had names after their colons; a word there is masked, the lesser harm.
  test.each([['负责人：明天来', '负责人：明**'], ['受害人：韩新学', '受害人：韩**']])('%s → %s (a cue, by choice)', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });
});

describe('what a guardian, a principal or an agent does is no name (NO_NAME_AFTER_CUE)', () => {
  test.each([
    '监护人和家人', '监护人和老师', '代理人和律师', '委托人和代理人', '委托人安排', '委托人申请仲裁', '委托人向法院起诉',
    '代理人费用', '代理人全权代理', '监护人严重失职', '委托人支付', '监护人应尽职责', '监护人有权', '委托人从未', '代理人经协商',
  ])('%s stays', (text) => {
    expect(maskFreeText(text)).toBe(text);
  });

  test.each([
    ['监护人王建国', '监护人王**'],
    ['委托人向冬云', '委托人向**'],
    ['代理人于洋', '代理人于**'],
    ['联系人王伟和李娜', '联系人王**和李**'],
    ['联系人：王伟，相关部门', '联系人：王**，相关部门'],
  ])('%s → %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });
});

describe('Latin words that begin with wx / vx / qq are no account id', () => {
  test.each(['用wxWidgets写界面', '用wxPython写', 'QQBrowser打不开', 'qqmusic会员', 'vxworks系统', 'VXLAN100', 'WeChatPay12345'])('%s stays', (text) => {
    expect(maskFreeText(text)).toBe(text);
  });

  test.each([
    ['QQ123456', 'QQ1***'],
    ['vx: abc12345', 'vx: a***'],
    ['微信号wxid_abc', '微信号w***'],
    ['wxid_abc123', 'wxi***'],
    ['QQID:12345', 'QQID:1***'],
  ])('still an id: %s → %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });
});

describe('widened: an id after ID or 账户, a plate with a space after its province', () => {
  test.each([
    ['微信ID：abc12345', '微信ID：a***'],
    ['wechat id: abc12345', 'wechat id: a***'],
    ['微信账户：abc12345', '微信账户：a***'],
    ['粤 A12345', '粤 A***5'],
  ])('%s → %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });
});

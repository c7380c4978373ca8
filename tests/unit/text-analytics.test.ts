import { MIN_TEXTS_PER_TERM, TRAINING_CORPUS, classifyText, getProductClassifier, rankLabels, scrubPersonalData, segment, topKeywords, trainTextClassifier } from '../../analytics';
import { extractKeywords } from '../../analytics/text/keywords';
import { scoreClassification, stratifiedFolds } from '../../analytics/text/metrics';

describe('segmentation', () => {
  test('domain terms stay whole (jieba alone splits them)', () => {
    const words = segment('网格员说居家养老和适老化改造都要排队，电动车充电和高空抛物的问题也要管');
    for (const term of ['网格员', '居家养老', '适老化改造', '电动车充电', '高空抛物']) expect(words).toContain(term);
  });

  test('punctuation is dropped and the classic example splits as a reader would', () => {
    expect(segment('小区路灯不亮，下水道堵塞')).toEqual(['小区', '路灯', '不亮', '下水道', '堵塞']);
  });
});

describe('personal data', () => {
  const message = '我叫张伟，电话13812345678，身份证370102198001011237，住幸福小区3号楼2单元501室。王秀英阿姨也说楼道灯不亮，李师傅修了两次，座机0531-88776655。';

  test('scrubbing removes phones, ID numbers, building/unit/room numbers and cued names', () => {
    const scrubbed = scrubPersonalData(message);
    for (const secret of ['张伟', '13812345678', '370102198001011237', '3号楼', '2单元', '501', '王秀英', '李师傅', '88776655', '0531']) {
      expect(scrubbed).not.toContain(secret);
    }
    expect(scrubbed).toContain('楼道灯不亮');
  });

  test('keywords of a message with a name, a phone and an ID number contain none of them', () => {
    const keywords = [...extractKeywords(message, 20), ...topKeywords([message, message], 20).map((row) => row.term)];
    expect(keywords.length).toBeGreaterThan(0);
    const joined = keywords.join('|');
    for (const secret of ['张', '伟', '王', '秀英', '李', '138', '1237', '501', '8877']) expect(joined).not.toContain(secret);
    for (const keyword of keywords) expect(keyword).not.toMatch(/\d/);
    expect(keywords).toContain('楼道灯');
  });

  test('a name jieba does not know is not a keyword either', () => {
    expect(extractKeywords('李翠娥反映楼道灯坏了，罗振宇也这么说', 10)).not.toEqual(expect.arrayContaining(['李翠娥']));
    expect(extractKeywords('李翠娥反映楼道灯坏了，罗振宇也这么说', 10).join('')).not.toMatch(/翠娥|振宇/);
  });

  // jieba splits 王|桂兰 and tags 桂兰 a place; 建军 alone is a noun to it.
  const NAMED = ['王桂兰反映楼道灯坏了', '张建军家门口楼道灯不亮', '桂兰说楼道灯晚上不亮', '建军和邻居都说楼道灯坏了', '刘秀英也说楼道灯坏了', '杨光明家门口楼道灯坏了'];

  test('given names split from their surname are masked before the words are used', () => {
    for (const text of NAMED.filter((text) => /^[王张刘杨]/.test(text))) expect(segment(text).join('|')).not.toMatch(/桂兰|建军|秀英|光明/);
    expect(segment('王桂兰反映楼道灯坏了')).toEqual(['反映', '楼道灯', '坏', '了']);
  });

  test('a set of texts naming 王桂兰 and 张建军 publishes neither name nor given name, even when a text uses the given name alone', () => {
    const rows = topKeywords([...NAMED, ...NAMED.map((text) => `${text}，桂兰和建军都着急`)], 50);
    expect(rows.map((row) => row.term)).toContain('楼道灯');
    expect(rows.map((row) => row.term).join('|')).not.toMatch(/桂兰|建军|秀英|光明|王|张/);
  });

  test('a keyword of one text never names a person jieba splits', () => {
    expect(extractKeywords('王桂兰反映楼道灯坏了，桂兰家门口也黑', 10).join('|')).not.toMatch(/桂兰/);
  });
});

describe('keywords', () => {
  test('topKeywords ranks what many texts say, counts texts, and publishes nothing fewer than three texts say', () => {
    const texts = ['小区路灯坏了好几盏', '路灯坏了，晚上很黑', '楼道灯和路灯都坏了', '下水道堵塞，污水横流', '下水道又堵了', '下水道返臭味', '单元门口的花坛被踩坏了', '花坛里全是垃圾'];
    const rows = topKeywords(texts, 3);
    // 路灯 and 下水道 are said by three texts each; 花坛 by two and 堵塞 by one: neither is published.
    expect(MIN_TEXTS_PER_TERM).toBeGreaterThanOrEqual(3);
    expect(rows.map((row) => row.term).sort()).toEqual(['下水道', '路灯']);
    expect(rows.find((row) => row.term === '路灯')).toMatchObject({ count: 3 });
    expect(rows.find((row) => row.term === '下水道')).toMatchObject({ count: 3 });
    expect(rows.every((row) => row.weight > 0)).toBe(true);
    expect(topKeywords(texts, 50).map((row) => row.term)).not.toEqual(expect.arrayContaining(['花坛']));
    expect(topKeywords(texts, 50).map((row) => row.term)).not.toEqual(expect.arrayContaining(['堵塞']));
  });

  test('a small set publishes fewer terms, never one text\'s words', () => {
    // Under five texts the old rule published every term of every text.
    expect(topKeywords(['电梯坏了三天，老人下不了楼'], 10)).toEqual([]);
    expect(topKeywords(['电梯坏了三天', '电梯又坏了'], 10)).toEqual([]);
    expect(topKeywords(['电梯坏了三天', '电梯又坏了', '电梯停了，老人下不了楼'], 10).map((row) => row.term)).toEqual(['电梯']);
  });

  test('the same text sent three times counts as one text', () => {
    expect(topKeywords(['电梯坏了三天', '电梯坏了三天', ' 电梯坏了三天'], 10)).toEqual([]);
  });
});

describe('classifier', () => {
  test('classifyText answers with a catalogue code, a confidence, three alternatives and keywords', () => {
    const result = classifyText('我父亲今年满八十岁了，高龄津贴怎么申请');
    expect(result.categoryCode).toBe('CIV-ELDERLY-ALLOWANCE');
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.alternatives).toHaveLength(3);
    expect(result.alternatives.every((a) => a.confidence <= result.confidence)).toBe(true);
    expect(result.keywords).toContain('高龄津贴');
  });

  test.each([
    ['楼上邻居天天半夜拖椅子，沟通了好几次没用，想请社区调解', 'GRID-DISPUTE'],
    ['小区的老年食堂饭菜太咸了，能不能少放点盐', 'CARE-CANTEEN'],
    ['身份证丢了急着坐高铁，怎么补办', 'CERT-ID'],
    ['楼道里堆满了纸箱，消防通道都堵死了', 'GRID-FIRE'],
    ['我们楼是六层的老楼，想加装电梯，怎么申请补贴', 'HOUSING-ELEVATOR'],
  ])('%s → %s', (text, code) => {
    expect(classifyText(text).categoryCode).toBe(code);
  });

  test('training is deterministic: retraining from the shipped corpus gives the same probabilities', () => {
    const again = trainTextClassifier(TRAINING_CORPUS);
    const texts = TRAINING_CORPUS.filter((_, i) => i % 37 === 0).map((e) => e.text).concat(['小区路灯不亮，下水道堵塞']);
    for (const text of texts) expect(rankLabels(again, text)).toEqual(rankLabels(getProductClassifier(), text));
  });

  test('the shipped corpus covers all 38 second-level categories with at least 14 messages each', () => {
    const counts = new Map<string, number>();
    for (const { label } of TRAINING_CORPUS) counts.set(label, (counts.get(label) ?? 0) + 1);
    expect(counts.size).toBe(38);
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(14);
    expect(new Set(TRAINING_CORPUS.map((e) => e.text)).size).toBe(TRAINING_CORPUS.length); // no duplicates
  });
});

describe('metrics', () => {
  test('macro-F1, accuracy and per-class scores against a hand-worked example', () => {
    // a: tp 2, fn 1, fp 0 → P 1, R 2/3, F1 0.8; b: tp 1, fn 0, fp 1 → P 0.5, R 1, F1 2/3.
    const scores = scoreClassification(['a', 'a', 'a', 'b'], ['a', 'a', 'b', 'b']);
    expect(scores.accuracy).toBe(0.75);
    expect(scores.perClass[0]).toMatchObject({ label: 'a', precision: 1, support: 3 });
    expect(scores.perClass[0].f1).toBeCloseTo(0.8, 10);
    expect(scores.perClass[1].f1).toBeCloseTo(2 / 3, 10);
    expect(scores.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 10);
  });

  test('stratified folds keep each class spread evenly and depend only on the seed', () => {
    const labels = [...Array(10).fill('x'), ...Array(5).fill('y')];
    const folds = stratifiedFolds(labels, 5, 3);
    for (let f = 0; f < 5; f++) {
      expect(labels.filter((l, i) => l === 'x' && folds[i] === f)).toHaveLength(2);
      expect(labels.filter((l, i) => l === 'y' && folds[i] === f)).toHaveLength(1);
    }
    expect(stratifiedFolds(labels, 5, 3)).toEqual(folds);
  });
});

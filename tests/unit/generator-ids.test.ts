import { generateServiceRecords, type GeneratorOptions } from '../../src/modules/service-data/generator';

/** Source ids of a generated file (its first column), and the whole text. */
function generate(options: GeneratorOptions): { ids: string[]; text: string } {
  const lines = [...generateServiceRecords(options)];
  return { ids: lines.slice(1).map((line) => line.slice(0, line.indexOf(','))), text: lines.join('') };
}

describe('generated source ids: the same file twice is deduplicated, two different files never are (found by a review)', () => {
  test('the same options give the same bytes', () => {
    expect(generate({ records: 500 }).text).toBe(generate({ records: 500 }).text);
  });

  test.each([
    ['another size', { records: 1000 }, { records: 1500 }],
    ['another window', { records: 1000 }, { records: 1000, startDay: '2026-01-01', days: 30 }],
    ['other communities', { records: 1000 }, { records: 1000, communities: ['370199001001'] }],
  ])('%s: no id of one file is in the other (a second file was dropped whole as duplicates)', (_what, a: GeneratorOptions, b: GeneratorOptions) => {
    const first = new Set(generate(a).ids);
    expect(generate(b).ids.filter((id) => first.has(id))).toEqual([]);
  });
});

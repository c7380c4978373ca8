import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_TEDDY_FILE, evaluateOnTeddy, readTeddyMessages, runClassifierEvaluation } from '../../src/modules/text/classifier-eval';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'teddy-tiny.csv');

test('reads 附件2-style CSV: quoted fields with newlines, commas and quotes; subject + details; the label', () => {
  const messages = readTeddyMessages(FIXTURE);
  expect(messages).toHaveLength(28);
  expect(new Set(messages.map((m) => m.label)).size).toBe(7);
  const elevator = messages.find((m) => m.text.includes('E2'))!;
  expect(elevator.label).toBe('城乡建设');
  expect(elevator.text).toContain('物业公司乱收费, 电梯显示 "E2" 故障，电梯坏了\n一个月没人修');
  expect(messages.filter((m) => m.text.includes('补充：'))).toHaveLength(9);
});

test('cross-validation on the tiny fixture: every message predicted once, baselines beside the model', () => {
  const report = evaluateOnTeddy(FIXTURE, { folds: 4, seed: 1 });
  expect(report.examples).toBe(28);
  expect(report.predicted).toHaveLength(28);
  expect(report.model.perClass).toHaveLength(7);
  expect(report.majority.accuracy).toBeCloseTo(4 / 28, 5);
  expect(report.keywordRules).toBeDefined();
  // Deterministic: the same seed gives the same predictions.
  expect(evaluateOnTeddy(FIXTURE, { folds: 4, seed: 1 }).predicted).toEqual(report.predicted);
});

test('the CLI skips cleanly (exit 0) when the data file is absent', () => {
  const lines: string[] = [];
  expect(runClassifierEvaluation(['--data', '/nonexistent/附件2.csv'], (line) => lines.push(line))).toBe(0);
  expect(lines[0]).toMatch(/^skipped the held-out evaluation: .*附件2\.csv does not exist/);
  expect(lines.join('\n')).toContain('Our shipped corpus');
});

// On the shared 495-message sample (2020 Teddy Cup, official first-level labels), 5-fold CV with
// seed 2020 measured macro-F1 0.759 and accuracy 0.776 (npm run eval:classifier, December 2026).
// The bound sits a few points below that measurement; it was set before this assertion first ran.
const MEASURED_TEDDY_MACRO_F1 = 0.759;
const TEDDY_MACRO_F1_BOUND = 0.72;
const sharedData = fs.existsSync(DEFAULT_TEDDY_FILE);
(sharedData ? test : test.skip)('held-out macro-F1 on the shared Teddy sample stays above the bound', () => {
  const report = evaluateOnTeddy(DEFAULT_TEDDY_FILE);
  expect(report.examples).toBe(495);
  expect(report.model.macroF1).toBeGreaterThan(TEDDY_MACRO_F1_BOUND);
  expect(report.model.macroF1).toBeLessThan(MEASURED_TEDDY_MACRO_F1 + 0.05); // a jump means the evaluation changed: look at it
  expect(report.model.macroF1).toBeGreaterThan(report.keywordRules!.macroF1);
}, 120_000);

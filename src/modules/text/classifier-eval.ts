/**
 * `npm run eval:classifier`: how well the product's text classifier does on data nobody here
 * wrote (the 2020 Teddy Cup resident messages with their official first-level labels), by
 * stratified k-fold cross-validation of the same model type, beside two baselines; and, for
 * contrast, on our own shipped corpus (which we wrote, so it flatters the model).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import {
  PRODUCT_MODEL, TEDDY_KEYWORD_RULES, TRAINING_CORPUS, crossValidate, scoreClassification,
  type ClassificationScores, type CrossValidationReport, type LabelledExample,
} from '../../../analytics';
import { PROJECT_ROOT } from '../../config/paths';

export const DEFAULT_TEDDY_FILE = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'teddy2020', '附件2_sample.csv');
export const DEFAULT_FOLDS = 5;
export const DEFAULT_SEED = 2020;

const TEDDY_COLUMNS = ['留言编号', '留言用户', '留言主题', '留言时间', '留言详情', '一级分类'] as const;

/**
 * Reads 附件2-style messages (columns 留言编号,留言用户,留言主题,留言时间,留言详情,一级分类; fields may
 * hold newlines and commas). The text is the subject and the details; the label the 一级分类.
 * Rows without a label or text are skipped. The user column is never read.
 */
export function readTeddyMessages(file: string, encoding: 'utf8' | 'gbk' = 'utf8'): LabelledExample[] {
  const raw = fs.readFileSync(file);
  const text = encoding === 'gbk' ? iconv.decode(raw, 'gbk') : raw.toString('utf8');
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_quotes: true, trim: true }) as Record<string, string>[];
  const missing = TEDDY_COLUMNS.filter((column) => rows.length > 0 && !(column in rows[0]));
  if (missing.length) throw new Error(`${path.basename(file)}: missing column(s) ${missing.join(', ')}`);
  return rows
    .map((row) => ({ text: `${row['留言主题'] ?? ''}\n${row['留言详情'] ?? ''}`.trim(), label: (row['一级分类'] ?? '').trim() }))
    .filter((example) => example.text && example.label);
}

export interface ClassifierEvaluation {
  teddy?: { file: string; report: CrossValidationReport };
  corpus: { report: CrossValidationReport; firstLevel: ClassificationScores };
}

/** Cross-validates the product model on a 附件2-style file (majority and keyword-rule baselines beside it). */
export function evaluateOnTeddy(file: string, options: { folds?: number; seed?: number; encoding?: 'utf8' | 'gbk' } = {}): CrossValidationReport {
  return crossValidate(readTeddyMessages(file, options.encoding), {
    folds: options.folds ?? DEFAULT_FOLDS,
    seed: options.seed ?? DEFAULT_SEED,
    features: PRODUCT_MODEL.features,
    train: PRODUCT_MODEL.train,
    keywordRules: TEDDY_KEYWORD_RULES,
  });
}

/** Cross-validates the product model on our shipped corpus, at the second level and mapped to the first. */
export function evaluateOnCorpus(options: { folds?: number; seed?: number } = {}): ClassifierEvaluation['corpus'] {
  const report = crossValidate(TRAINING_CORPUS, { folds: options.folds ?? DEFAULT_FOLDS, seed: options.seed ?? DEFAULT_SEED, features: PRODUCT_MODEL.features, train: PRODUCT_MODEL.train });
  const parent = (code: string) => code.split('-')[0];
  return { report, firstLevel: scoreClassification(report.truth.map(parent), report.predicted.map(parent)) };
}

const f3 = (value: number) => value.toFixed(3);

/** Pads to a display width, counting a Chinese character as two columns. */
function padDisplay(text: string, width: number): string {
  const columns = [...text].reduce((sum, ch) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - columns));
}

function scoreLine(name: string, scores: ClassificationScores): string {
  return `  ${name.padEnd(26)} macro-F1 ${f3(scores.macroF1)}   accuracy ${f3(scores.accuracy)}`;
}

function perClassTable(scores: ClassificationScores): string[] {
  const lines = ['  per class (model):', `    ${'label'.padEnd(24)} support  precision  recall     F1`];
  for (const row of scores.perClass) {
    lines.push(`    ${padDisplay(row.label, 24)} ${String(row.support).padStart(7)}  ${f3(row.precision).padStart(9)}  ${f3(row.recall).padStart(6)}  ${f3(row.f1).padStart(5)}`);
  }
  return lines;
}

/** The report as printed by the CLI. */
export function formatEvaluation(evaluation: ClassifierEvaluation): string {
  const { corpus, teddy } = evaluation;
  const lines: string[] = [];
  const model = PRODUCT_MODEL.train;
  lines.push(`Classifier: TF-IDF (jieba words + character bigrams) + ${model.kind === 'logistic' ? 'logistic regression (SGD)' : 'complement naive Bayes'}; stratified ${corpus.report.folds}-fold cross-validation, seed ${corpus.report.seed}`);
  if (teddy) {
    const r = teddy.report;
    lines.push('', `Held-out data: 2020 Teddy Cup resident messages, official first-level labels (${teddy.file})`);
    lines.push(`  ${r.examples} messages, ${r.model.perClass.length} labels; each fold's model trained on the other ${r.folds - 1} folds (training ${r.trainMilliseconds} ms per fold)`);
    lines.push(scoreLine('model', r.model));
    if (r.keywordRules) lines.push(scoreLine('baseline: keyword rules', r.keywordRules));
    lines.push(scoreLine('baseline: majority class', r.majority));
    lines.push(...perClassTable(r.model));
  }
  const c = corpus.report;
  lines.push('', `Our shipped corpus (written for this project, not independent data): ${c.examples} messages, ${c.model.perClass.length} second-level categories`);
  lines.push(scoreLine('second level (product)', c.model));
  lines.push(scoreLine(`first level (${corpus.firstLevel.perClass.length}, mapped)`, corpus.firstLevel));
  lines.push(scoreLine('baseline: majority class', c.majority));
  lines.push(...perClassTable(c.model));
  return lines.join('\n');
}

const USAGE = `usage: npm run eval:classifier -- [--data FILE] [--encoding utf8|gbk] [--folds K] [--seed N]
  --data   a 附件2-style CSV (default ${DEFAULT_TEDDY_FILE})`;

/** The CLI: returns the exit code (0 also when the data file is absent: the evaluation is skipped). */
export function runClassifierEvaluation(argv: string[], print: (line: string) => void = console.log): number {
  let file = DEFAULT_TEDDY_FILE;
  let folds = DEFAULT_FOLDS;
  let seed = DEFAULT_SEED;
  let encoding: 'utf8' | 'gbk' = 'utf8';
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const [flag, inline] = argument.split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (flag === '--data' && value) file = path.resolve(value);
    else if (flag === '--folds' && Number.isInteger(Number(value)) && Number(value) >= 2) folds = Number(value);
    else if (flag === '--seed' && Number.isInteger(Number(value)) && Number(value) >= 0) seed = Number(value);
    else if (flag === '--encoding' && (value === 'utf8' || value === 'gbk')) encoding = value;
    else {
      // The flag as typed and its value (argv[i] is already the value, or past the end).
      const known = ['--data', '--folds', '--seed', '--encoding'].includes(flag);
      const what = !known ? `unknown argument ${JSON.stringify(argument)}` : value === undefined ? `${flag} needs a value` : `bad value for ${flag}: ${JSON.stringify(value)}`;
      print(`${what}\n${USAGE}`);
      return 2;
    }
  }
  const evaluation: ClassifierEvaluation = { corpus: evaluateOnCorpus({ folds, seed }) };
  if (fs.existsSync(file)) evaluation.teddy = { file, report: evaluateOnTeddy(file, { folds, seed, encoding }) };
  else print(`skipped the held-out evaluation: ${file} does not exist (pass --data FILE)`);
  print(formatEvaluation(evaluation));
  return 0;
}

import { DEFAULT_FEATURES, TfIdfVectorizer, featureTokens, type FeatureOptions } from './features';
import { scoreClassification, stratifiedFolds, type ClassificationScores } from './metrics';
import { DEFAULT_TRAIN_OPTIONS, trainModel, type TrainOptions } from './models';

export interface LabelledExample {
  text: string;
  label: string;
}

/** A keyword-rule baseline: the first label (in order) any of whose words appears in the text wins. */
export type KeywordRules = ReadonlyArray<readonly [label: string, words: readonly string[]]>;

export interface CrossValidationOptions {
  folds?: number;
  seed?: number;
  features?: FeatureOptions;
  train?: TrainOptions;
  /** Rules for the keyword baseline; without them the baseline is not computed. */
  keywordRules?: KeywordRules;
}

export interface CrossValidationReport {
  examples: number;
  folds: number;
  seed: number;
  model: ClassificationScores;
  /** Always answering the most frequent label of the training folds. */
  majority: ClassificationScores;
  keywordRules?: ClassificationScores;
  /** Mean time to fit TF-IDF and the model on one fold's training part. */
  trainMilliseconds: number;
  /** The true label and the model's held-out prediction of every example, in input order. */
  truth: string[];
  predicted: string[];
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** The keyword rules' answer for a text, or `fallback` when no rule fires. */
export function applyKeywordRules(rules: KeywordRules, text: string, fallback: string): string {
  for (const [label, words] of rules) if (words.some((word) => text.includes(word))) return label;
  return fallback;
}

/**
 * Stratified k-fold cross-validation: for each fold, fit TF-IDF and the model on the other
 * folds and predict the held-out one; scores are over all held-out predictions together.
 * Deterministic for a given seed. Baselines (majority class, keyword rules) use the same folds.
 */
export function crossValidate(examples: readonly LabelledExample[], options: CrossValidationOptions = {}): CrossValidationReport {
  const k = options.folds ?? 5;
  const seed = options.seed ?? 2020;
  const featureOptions = options.features ?? DEFAULT_FEATURES;
  const trainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options.train };
  const labels = examples.map((e) => e.label);
  const fold = stratifiedFolds(labels, k, seed);
  const tokens = examples.map((e) => featureTokens(e.text, featureOptions));
  const predicted = new Array<string>(examples.length);
  const majority = new Array<string>(examples.length);
  const rules = new Array<string>(examples.length);
  let trainMilliseconds = 0;
  for (let f = 0; f < k; f++) {
    const train = examples.map((_, i) => i).filter((i) => fold[i] !== f);
    const test = examples.map((_, i) => i).filter((i) => fold[i] === f);
    const started = performance.now();
    const vectorizer = new TfIdfVectorizer().fit(train.map((i) => tokens[i]));
    const model = trainModel(train.map((i) => vectorizer.transform(tokens[i])), train.map((i) => labels[i]), vectorizer.size, trainOptions);
    trainMilliseconds += performance.now() - started;
    const counts = new Map<string, number>();
    for (const i of train) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    const mostFrequent = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    for (const i of test) {
      predicted[i] = model.labels[argmax(model.probabilities(vectorizer.transform(tokens[i])))];
      majority[i] = mostFrequent;
      if (options.keywordRules) rules[i] = applyKeywordRules(options.keywordRules, examples[i].text, mostFrequent);
    }
  }
  return {
    examples: examples.length,
    folds: k,
    seed,
    model: scoreClassification(labels, predicted),
    majority: scoreClassification(labels, majority),
    keywordRules: options.keywordRules ? scoreClassification(labels, rules) : undefined,
    trainMilliseconds: Math.round(trainMilliseconds / k),
    truth: labels,
    predicted,
  };
}

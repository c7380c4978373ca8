import { seededRandom, shuffled } from './random';

export interface ClassScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** How many true examples of the class there were. */
  support: number;
}

export interface ClassificationScores {
  accuracy: number;
  /** Unweighted mean of the per-class F1 over the classes present in the truth. */
  macroF1: number;
  perClass: ClassScore[];
}

/** Accuracy, macro-F1 and per-class precision/recall/F1 (classes = those in `truth`, sorted). */
export function scoreClassification(truth: readonly string[], predicted: readonly string[]): ClassificationScores {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const labels = [...new Set(truth)].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  let correct = 0;
  truth.forEach((actual, i) => {
    const guess = predicted[i];
    if (actual === guess) {
      correct++;
      tp.set(actual, (tp.get(actual) ?? 0) + 1);
    } else {
      fp.set(guess, (fp.get(guess) ?? 0) + 1);
      fn.set(actual, (fn.get(actual) ?? 0) + 1);
    }
  });
  const perClass = labels.map((label) => {
    const t = tp.get(label) ?? 0;
    const precision = t + (fp.get(label) ?? 0) === 0 ? 0 : t / (t + (fp.get(label) ?? 0));
    const recall = t / (t + (fn.get(label) ?? 0));
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support: t + (fn.get(label) ?? 0) };
  });
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: perClass.length ? perClass.reduce((sum, c) => sum + c.f1, 0) / perClass.length : 0,
    perClass,
  };
}

/**
 * Stratified k-fold assignment: each class's examples are shuffled (seeded) and dealt round the
 * folds in turn, so every fold holds each class in proportion. Returns the fold of each example.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[] {
  if (k < 2) throw new Error('k must be at least 2');
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  const folds = new Array<number>(labels.length).fill(0);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const index of shuffled(byLabel.get(label)!, random)) {
      folds[index] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}

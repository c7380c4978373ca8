import type { SparseVector } from './features';
import { seededRandom, shuffled } from './random';

/** A trained linear text classifier: one weight row per label over the feature space. */
export interface TextModel {
  readonly labels: readonly string[];
  /** A probability-like score per label (same order as `labels`), summing to 1. */
  probabilities(x: SparseVector): number[];
}

export type ModelKind = 'logistic' | 'complementNB';

export interface TrainOptions {
  kind: ModelKind;
  /** Logistic regression: passes over the data. */
  epochs?: number;
  /** Logistic regression: initial step size (decays as 1/(1 + t/n)). */
  learningRate?: number;
  /** Logistic regression: L2 penalty. */
  l2?: number;
  /** Complement naive Bayes: additive smoothing. */
  alpha?: number;
  /** Seed of the example order in each epoch. */
  seed?: number;
}

export const DEFAULT_TRAIN_OPTIONS: Required<TrainOptions> = { kind: 'logistic', epochs: 30, learningRate: 1, l2: 1e-5, alpha: 0.3, seed: 7 };

function softmax(scores: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i] > max) max = scores[i];
  const exps = new Array<number>(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += exps[i] = Math.exp(scores[i] - max);
  for (let i = 0; i < exps.length; i++) exps[i] /= sum;
  return exps;
}

function labelIndex(labels: readonly string[]): { sorted: string[]; index: Map<string, number> } {
  const sorted = [...new Set(labels)].sort();
  return { sorted, index: new Map(sorted.map((label, i) => [label, i])) };
}

/**
 * Multinomial logistic regression trained by plain SGD on the cross-entropy, with L2 weight
 * decay applied to the weights an example touches. Deterministic: the example order of every
 * epoch comes from the seed.
 */
export function trainLogistic(xs: readonly SparseVector[], ys: readonly string[], dimensions: number, options: TrainOptions): TextModel {
  const { epochs, learningRate, l2, seed } = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const { sorted, index } = labelIndex(ys);
  const classes = sorted.length;
  const weights = new Float64Array(classes * dimensions);
  const bias = new Float64Array(classes);
  const random = seededRandom(seed);
  const order = xs.map((_, i) => i);
  let step = 0;
  const scoresOf = (x: SparseVector): Float64Array => {
    const scores = Float64Array.from(bias);
    for (let c = 0; c < classes; c++) {
      const row = c * dimensions;
      let s = scores[c];
      for (let k = 0; k < x.indices.length; k++) s += weights[row + x.indices[k]] * x.values[k];
      scores[c] = s;
    }
    return scores;
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled(order, random)) {
      const rate = learningRate / (1 + step++ / xs.length);
      const x = xs[i];
      const p = softmax(scoresOf(x));
      const target = index.get(ys[i])!;
      for (let c = 0; c < classes; c++) {
        const gradient = p[c] - (c === target ? 1 : 0);
        const row = c * dimensions;
        for (let k = 0; k < x.indices.length; k++) {
          const j = row + x.indices[k];
          weights[j] -= rate * (gradient * x.values[k] + l2 * weights[j]);
        }
        bias[c] -= rate * gradient;
      }
    }
  }
  return { labels: sorted, probabilities: (x) => softmax(scoresOf(x)) };
}

/**
 * Complement naive Bayes (Rennie et al., 2003) with weight normalisation: each class is
 * scored by how poorly the text fits the other classes. Its scores are turned into a
 * probability-like confidence by a softmax of the negated, length-scaled complement scores.
 */
export function trainComplementNB(xs: readonly SparseVector[], ys: readonly string[], dimensions: number, options: TrainOptions): TextModel {
  const alpha = options.alpha ?? DEFAULT_TRAIN_OPTIONS.alpha;
  const { sorted, index } = labelIndex(ys);
  const classes = sorted.length;
  const perClass = new Float64Array(classes * dimensions);
  const total = new Float64Array(dimensions);
  xs.forEach((x, i) => {
    const row = index.get(ys[i])! * dimensions;
    x.indices.forEach((j, k) => {
      perClass[row + j] += x.values[k];
      total[j] += x.values[k];
    });
  });
  const grand = total.reduce((a, b) => a + b, 0);
  const weights = new Float64Array(classes * dimensions);
  for (let c = 0; c < classes; c++) {
    const row = c * dimensions;
    let classSum = 0;
    for (let j = 0; j < dimensions; j++) classSum += perClass[row + j];
    const complementSum = grand - classSum + alpha * dimensions;
    let absSum = 0;
    for (let j = 0; j < dimensions; j++) {
      const w = Math.log((total[j] - perClass[row + j] + alpha) / complementSum);
      weights[row + j] = w;
      absSum += Math.abs(w);
    }
    for (let j = 0; j < dimensions; j++) weights[row + j] /= absSum;
  }
  return {
    labels: sorted,
    probabilities(x) {
      const scores = sorted.map((_, c) => {
        const row = c * dimensions;
        let s = 0;
        for (let k = 0; k < x.indices.length; k++) s += weights[row + x.indices[k]] * x.values[k];
        return -s * dimensions;
      });
      return softmax(scores);
    },
  };
}

export function trainModel(xs: readonly SparseVector[], ys: readonly string[], dimensions: number, options: TrainOptions): TextModel {
  return options.kind === 'complementNB' ? trainComplementNB(xs, ys, dimensions, options) : trainLogistic(xs, ys, dimensions, options);
}

import { TRAINING_CORPUS, type LabelledText } from './data/corpus';
import { DEFAULT_FEATURES, TfIdfVectorizer, featureTokens, type FeatureOptions } from './features';
import { extractKeywords } from './keywords';
import { trainModel, type TextModel, type TrainOptions } from './models';

/**
 * The model the product uses, for our catalogue and for the held-out evaluation alike: TF-IDF
 * over jieba words and character bigrams, multinomial logistic regression by SGD. Chosen over
 * complement naive Bayes by cross-validated macro-F1 on our corpus (the README's "Free-text requests"
 * has the figures and `npm run eval:classifier` recomputes them).
 */
export const PRODUCT_MODEL: { features: FeatureOptions; train: TrainOptions } = {
  features: DEFAULT_FEATURES,
  train: { kind: 'logistic', epochs: 20, learningRate: 3, l2: 1e-5, seed: 7 },
};

export interface CategoryScore {
  categoryCode: string;
  confidence: number;
}

export interface TextClassification {
  /** The suggested second-level category code. */
  categoryCode: string;
  /** The model's probability for it (0-1). */
  confidence: number;
  /** The next most likely categories, most likely first. */
  alternatives: CategoryScore[];
  /** The text's keywords (no personal data). */
  keywords: string[];
}

/** A trained classifier: its vectorizer, its model, and what it was trained on. */
export interface TrainedTextClassifier {
  vectorizer: TfIdfVectorizer;
  model: TextModel;
  features: FeatureOptions;
  examples: number;
  trainMilliseconds: number;
}

/** Trains a classifier on labelled texts (deterministic for the same texts and options). */
export function trainTextClassifier(
  examples: readonly LabelledText[],
  config: { features: FeatureOptions; train: TrainOptions } = PRODUCT_MODEL,
): TrainedTextClassifier {
  const started = performance.now();
  const tokens = examples.map((e) => featureTokens(e.text, config.features));
  const vectorizer = new TfIdfVectorizer().fit(tokens);
  const model = trainModel(tokens.map((t) => vectorizer.transform(t)), examples.map((e) => e.label), vectorizer.size, config.train);
  return { vectorizer, model, features: config.features, examples: examples.length, trainMilliseconds: Math.round(performance.now() - started) };
}

/** Every label's probability for `text`, most likely first (ties by label). */
export function rankLabels(classifier: TrainedTextClassifier, text: string): CategoryScore[] {
  const probabilities = classifier.model.probabilities(classifier.vectorizer.transform(featureTokens(text, classifier.features)));
  return classifier.model.labels
    .map((categoryCode, i) => ({ categoryCode, confidence: probabilities[i] }))
    .sort((a, b) => b.confidence - a.confidence || a.categoryCode.localeCompare(b.categoryCode));
}

let productClassifier: TrainedTextClassifier | undefined;

/**
 * The product classifier, trained from the shipped corpus on first use (a few hundred ms,
 * plus ~0.4 s to load jieba) and kept in memory for the life of the process.
 */
export function getProductClassifier(): TrainedTextClassifier {
  productClassifier ??= trainTextClassifier(TRAINING_CORPUS);
  return productClassifier;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export interface ClassifyOptions {
  /** Only these category codes may be suggested (e.g. the catalogue's active ones); others are skipped. */
  allowedCodes?: ReadonlySet<string>;
  /** How many alternatives to return (default 3). */
  alternatives?: number;
}

/**
 * Suggests a second-level request category for a resident's free text, with its confidence
 * (the model's probability), the next most likely alternatives and the text's keywords.
 * Returns categoryCode '' with confidence 0 when `allowedCodes` leaves nothing to suggest.
 */
export function classifyText(text: string, options: ClassifyOptions = {}): TextClassification {
  const allowed = options.allowedCodes;
  const ranked = rankLabels(getProductClassifier(), text).filter((row) => !allowed || allowed.has(row.categoryCode));
  const [best, ...rest] = ranked;
  return {
    categoryCode: best?.categoryCode ?? '',
    confidence: best ? round4(best.confidence) : 0,
    alternatives: rest.slice(0, options.alternatives ?? 3).map((row) => ({ categoryCode: row.categoryCode, confidence: round4(row.confidence) })),
    keywords: extractKeywords(text, 5),
  };
}

import { STOP_WORDS } from './data/stopwords';
import { analyseText } from './segment';

/** What a message is turned into before a model sees it. */
export interface FeatureOptions {
  /** jieba words (stop words dropped). */
  words: boolean;
  /** Overlapping pairs of Chinese characters: robust to segmentation errors and unknown words. */
  charBigrams: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = { words: true, charBigrams: true };

const CJK_RUN = /[\u4e00-\u9fa5]+/g;

/** The feature tokens of one text (personal data scrubbed and names masked first, like everything in text analytics). */
export function featureTokens(text: string, options: FeatureOptions = DEFAULT_FEATURES): string[] {
  const analysed = analyseText(text);
  const tokens: string[] = [];
  if (options.words) {
    for (const { word } of analysed.tokens) if (!STOP_WORDS.has(word)) tokens.push(word);
  }
  if (options.charBigrams) {
    for (const run of analysed.maskedText.match(CJK_RUN) ?? []) {
      for (let i = 0; i + 1 < run.length; i++) tokens.push(`#${run.slice(i, i + 2)}`);
    }
  }
  return tokens;
}

/** A sparse vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

/**
 * TF-IDF over the training texts: sublinear term frequency (1 + ln tf), smoothed IDF
 * ln((1 + n) / (1 + df)) + 1, each vector scaled to unit length. Tokens unseen in training
 * are ignored at prediction time.
 */
export class TfIdfVectorizer {
  readonly vocabulary = new Map<string, number>();
  private idf: number[] = [];

  fit(documents: readonly (readonly string[])[]): this {
    const df = new Map<string, number>();
    for (const tokens of documents) for (const token of new Set(tokens)) df.set(token, (df.get(token) ?? 0) + 1);
    // Sorted so the same texts give the same indices whatever order Sets iterate in.
    for (const token of [...df.keys()].sort()) this.vocabulary.set(token, this.vocabulary.size);
    this.idf = new Array<number>(this.vocabulary.size);
    for (const [token, index] of this.vocabulary) this.idf[index] = Math.log((1 + documents.length) / (1 + df.get(token)!)) + 1;
    return this;
  }

  get size(): number {
    return this.vocabulary.size;
  }

  transform(tokens: readonly string[]): SparseVector {
    const counts = new Map<number, number>();
    for (const token of tokens) {
      const index = this.vocabulary.get(token);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    const indices = [...counts.keys()].sort((a, b) => a - b);
    const values = indices.map((index) => (1 + Math.log(counts.get(index)!)) * this.idf[index]);
    const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
    return { indices, values: values.map((v) => v / norm) };
  }
}

import { contentTerms, inverseDocumentFrequency } from './segment';

export interface TermWeight {
  term: string;
  weight: number;
  /** Texts containing the term. */
  count: number;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** TF-IDF weight of each safe content term of one text (tf = share of the text's terms). */
function termWeights(text: string): Map<string, number> {
  const terms = contentTerms(text);
  const weights = new Map<string, number>();
  for (const term of terms) weights.set(term, (weights.get(term) ?? 0) + 1 / terms.length);
  for (const [term, tf] of weights) weights.set(term, tf * inverseDocumentFrequency(term));
  return weights;
}

function ranked(entries: Iterable<TermWeight>, k: number): TermWeight[] {
  return [...entries].sort((a, b) => b.weight - a.weight || b.count - a.count || a.term.localeCompare(b.term)).slice(0, k);
}

/**
 * The `k` most characteristic terms of one text: TF-IDF against jieba's background corpus
 * (a term common in the text and rare in general Chinese weighs most). Only safe content
 * terms take part: no names, numbers, addresses below building level (see privacy.ts).
 */
export function extractKeywords(text: string, k = 5): string[] {
  return ranked([...termWeights(text)].map(([term, weight]) => ({ term, weight, count: 1 })), k).map((row) => row.term);
}

export interface TopKeywordsOptions {
  /**
   * A term must appear in at least this many texts. Defaults to 2 when there are five texts or
   * more (what one resident alone says is not "what residents say"), else 1.
   */
  minCount?: number;
}

/**
 * What a set of texts is about: each text's TF-IDF term weights summed over the texts (so
 * each text votes with the same total), with how many texts carry each term. Sorted by
 * weight, then count, then term; weights rounded to 4 decimals.
 */
export function topKeywords(texts: readonly string[], k: number, options: TopKeywordsOptions = {}): TermWeight[] {
  const minCount = options.minCount ?? (texts.length >= 5 ? 2 : 1);
  const totals = new Map<string, TermWeight>();
  for (const text of texts) {
    const weights = termWeights(text);
    const sum = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
    for (const [term, weight] of weights) {
      const row = totals.get(term) ?? { term, weight: 0, count: 0 };
      row.weight += weight / sum;
      row.count += 1;
      totals.set(term, row);
    }
  }
  const eligible = [...totals.values()].filter((row) => row.count >= minCount);
  return ranked(eligible, k).map((row) => ({ ...row, weight: round4(row.weight) }));
}

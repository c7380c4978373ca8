import { DOMAIN_TERMS } from './data/domain-terms';
import { MIN_TEXTS_PER_TERM } from './privacy';

const DOMAIN_TERM_SET: ReadonlySet<string> = new Set(DOMAIN_TERMS);
import { analyseText, contentTerms, inverseDocumentFrequency, safeContentTerms } from './segment';

export interface TermWeight {
  term: string;
  weight: number;
  /** Texts containing the term. */
  count: number;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** TF-IDF weight of each safe content term of one text (tf = share of the text's terms). */
function termWeights(terms: readonly string[]): Map<string, number> {
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
  return ranked([...termWeights(contentTerms(text))].map(([term, weight]) => ({ term, weight, count: 1 })), k).map((row) => row.term);
}

/**
 * What a set of texts is about: each text's TF-IDF term weights summed over the texts (so
 * each text votes with the same total), with how many texts carry each term. Sorted by
 * weight, then count, then term; weights rounded to 4 decimals.
 *
 * Privacy: a term is published only when at least MIN_TEXTS_PER_TERM different texts use it
 * (identical texts count once), however few the texts, so a small set publishes fewer terms,
 * never one resident's words; and a name found in any text of the set (王桂兰) drops its bare
 * use (桂兰) in all of them. No detector finds every name: jieba's dictionary has many as
 * ordinary words (付强/v, 方军/n, 建军/n), so `domainTermsOnly` (for viewers who may not see
 * personal data) publishes only terms of the domain vocabulary (DOMAIN_TERMS), none of them a name.
 */
export function topKeywords(texts: readonly string[], k: number, options: { domainTermsOnly?: boolean } = {}): TermWeight[] {
  const totals = new Map<string, TermWeight>();
  const names = new Set<string>();
  for (const text of new Set(texts.map((text) => text.normalize('NFKC').trim()))) {
    const analysed = analyseText(text);
    for (const name of analysed.names) names.add(name);
    const weights = termWeights(safeContentTerms(analysed.tokens));
    const sum = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
    for (const [term, weight] of weights) {
      const row = totals.get(term) ?? { term, weight: 0, count: 0 };
      row.weight += weight / sum;
      row.count += 1;
      totals.set(term, row);
    }
  }
  const eligible = [...totals.values()].filter(
    (row) => row.count >= MIN_TEXTS_PER_TERM && !names.has(row.term) && (!options.domainTermsOnly || DOMAIN_TERM_SET.has(row.term)),
  );
  return ranked(eligible, k).map((row) => ({ ...row, weight: round4(row.weight) }));
}

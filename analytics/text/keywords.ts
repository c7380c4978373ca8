import { DOMAIN_TERMS } from './data/domain-terms';
import { MIN_AUTHORS_PER_TERM } from './privacy';

const DOMAIN_TERM_SET: ReadonlySet<string> = new Set(DOMAIN_TERMS);
import { analyseText, contentTerms, inverseDocumentFrequency, safeContentTerms } from './segment';

export interface TermWeight {
  term: string;
  weight: number;
  /** Authors (residents) whose texts contain the term; for texts without authors, the texts. */
  count: number;
}

/**
 * A text and who wrote it. `authorKeys` are opaque keys of its author (e.g. a hash of the
 * phone, one of the name): texts sharing any key are one author's, so a resident who gave a
 * phone once and only a name another time is still one. No key: the text is its own author.
 * The keys are only compared, never returned.
 */
export interface AuthoredText {
  text: string;
  authorKeys?: readonly string[];
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
 * Which author each text is, as an index: texts sharing an author key, and identical texts,
 * are one author (union-find over the keys, so the linking is transitive).
 */
function authorOfEach(texts: readonly { authorKeys: readonly string[] }[]): number[] {
  const parent = texts.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const firstWithKey = new Map<string, number>();
  texts.forEach(({ authorKeys }, i) => {
    for (const key of authorKeys) {
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, i);
      else parent[root(i)] = root(first);
    }
  });
  return texts.map((_, i) => root(i));
}

/**
 * What a set of texts is about: each text's TF-IDF term weights summed over the texts (so
 * each text votes with the same total), with how many authors use each term. Sorted by
 * weight, then count, then term; weights rounded to 4 decimals.
 *
 * Privacy: a term is published only when at least MIN_AUTHORS_PER_TERM different authors use it
 * (texts sharing an author key are one author's; identical texts count once, as one author's:
 * the same text sent again), however few the texts, so a small set publishes fewer terms, never
 * one resident's words, however many times they wrote them; and a name found in any text of the
 * set (王桂兰) drops its bare use (桂兰) in all of them. No detector finds every name: jieba's
 * dictionary has many as ordinary words (付强/v, 方军/n, 建军/n), so `domainTermsOnly` (for viewers
 * who may not see personal data) publishes only terms of the domain vocabulary (DOMAIN_TERMS),
 * none of them a name. A plain string is a text with no author key: its own author.
 */
export function topKeywords(texts: readonly (string | AuthoredText)[], k: number, options: { domainTermsOnly?: boolean } = {}): TermWeight[] {
  // Identical texts are merged, their authors' keys pooled (which makes their authors one).
  const distinct = new Map<string, { text: string; authorKeys: string[] }>();
  for (const entry of texts) {
    const { text: raw, authorKeys = [] } = typeof entry === 'string' ? { text: entry } : entry;
    const text = raw.normalize('NFKC').trim();
    const merged = distinct.get(text) ?? { text, authorKeys: [] };
    merged.authorKeys.push(...authorKeys);
    distinct.set(text, merged);
  }
  const unique = [...distinct.values()];
  const authorOf = authorOfEach(unique);
  const totals = new Map<string, TermWeight & { authors: Set<number> }>();
  const names = new Set<string>();
  unique.forEach(({ text }, i) => {
    const analysed = analyseText(text);
    for (const name of analysed.names) names.add(name);
    const weights = termWeights(safeContentTerms(analysed.tokens));
    const sum = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
    for (const [term, weight] of weights) {
      const row = totals.get(term) ?? { term, weight: 0, count: 0, authors: new Set<number>() };
      row.weight += weight / sum;
      row.authors.add(authorOf[i]);
      row.count = row.authors.size;
      totals.set(term, row);
    }
  });
  const eligible = [...totals.values()].filter(
    (row) => row.count >= MIN_AUTHORS_PER_TERM && !names.has(row.term) && (!options.domainTermsOnly || DOMAIN_TERM_SET.has(row.term)),
  );
  // Only term, weight and count leave: the authors stay here.
  return ranked(eligible, k).map(({ term, weight, count }) => ({ term, weight: round4(weight), count }));
}

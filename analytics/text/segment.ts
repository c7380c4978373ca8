/**
 * Chinese word segmentation: jieba (`@node-rs/jieba`, a prebuilt native binary) with its
 * general dictionary plus our domain dictionary, loaded once per process on first use
 * (~0.4 s); jieba's IDF table only when keywords are asked for. Text is scrubbed of personal data before it is segmented,
 * and person names are masked as soon as jieba has tagged it, before any token is used.
 */
import { Jieba } from '@node-rs/jieba';
import { DOMAIN_TERMS, NEVER_NAMES } from './data/domain-terms';
import { STOP_WORDS } from './data/stopwords';
import { jiebaFiles } from './jieba-files';
import { findPersonNames, isSafeTerm, scrubPersonalData } from './privacy';

/** The part-of-speech tag our domain terms carry. */
export const DOMAIN_TAG = 'dm';
/** High enough that jieba keeps a domain term whole rather than splitting it into common words. */
const DOMAIN_FREQUENCY = 20000;

export interface TaggedToken {
  word: string;
  tag: string;
}


let jiebaInstance: Jieba | undefined;

/** jieba with our domain dictionary, loaded on first use. */
function getJieba(): Jieba {
  if (!jiebaInstance) {
    jiebaInstance = Jieba.withDict(jiebaFiles().dict);
    jiebaInstance.loadDict(Buffer.from(DOMAIN_TERMS.map((term) => `${term} ${DOMAIN_FREQUENCY} ${DOMAIN_TAG}`).join('\n')));
  }
  return jiebaInstance;
}

interface IdfTable {
  /** Word → inverse document frequency in jieba's background corpus. */
  idf: Map<string, number>;
  /** The median IDF: what a domain-only or unknown word gets. */
  medianIdf: number;
}

let idfTable: IdfTable | undefined;

/** jieba's IDF table (~260,000 words), parsed on first use by keyword extraction only. */
function getIdfTable(): IdfTable {
  if (!idfTable) {
    const idf = new Map<string, number>();
    for (const line of new TextDecoder().decode(jiebaFiles().idf).split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) idf.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    const sorted = [...idf.values()].sort((a, b) => a - b);
    idfTable = { idf, medianIdf: sorted[Math.floor(sorted.length / 2)] };
  }
  return idfTable;
}

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** One text as text analytics sees it: personal data scrubbed, person names masked. */
export interface AnalysedText {
  /** The words with their tags, names left out; punctuation and whitespace dropped. */
  tokens: TaggedToken[];
  /** The scrubbed text with each person name replaced by a space. */
  maskedText: string;
  /** The names found (full and given), for dropping their bare use in other texts of a set. */
  names: Set<string>;
}

/**
 * jieba's tags with each domain term, and each everyday word jieba tags a name (WORDS_TAGGED_AS_NAMES),
 * tagged `dm`. Loading a word jieba's dictionary already has changes its frequency but not its tag,
 * and that dictionary tags many ordinary words a person name (幼儿园, 养老院, 井盖, 康复 are all `nr`
 * there), which masking would drop as names.
 */
function tagWithDomainTerms(text: string): TaggedToken[] {
  return getJieba().tag(text, true).map((token) => (NEVER_NAMES.has(token.word) ? { word: token.word, tag: DOMAIN_TAG } : token));
}

/** Scrubs `text`, tags it with jieba, and masks the person names jieba's tags reveal (see privacy.ts). */
export function analyseText(text: string): AnalysedText {
  const tagged = tagWithDomainTerms(scrubPersonalData(text));
  const { isName, names } = findPersonNames(tagged);
  return {
    tokens: tagged.filter((token, i) => !isName[i] && WORD_CHARACTER.test(token.word)),
    maskedText: tagged.map((token, i) => (isName[i] ? ' ' : token.word)).join(''),
    names,
  };
}

/** Tokens of the scrubbed text with their tags; names, punctuation and whitespace dropped. */
export function tagText(text: string): TaggedToken[] {
  return analyseText(text).tokens;
}

/** Segments `text` into words (personal data and names removed; punctuation dropped). */
export function segment(text: string): string[] {
  return tagText(text).map((token) => token.word);
}

/** jieba tags a word found in no dictionary (one its HMM made up, often a name) with `x`. */
const UNKNOWN_WORD_TAG = 'x';

/** Parts of speech that can name what a message is about (nouns, verbs, adjectives, idioms, ours). */
const CONTENT_TAGS: ReadonlySet<string> = new Set([DOMAIN_TAG, 'n', 'nz', 'ng', 'nt', 'ns', 'nw', 'vn', 'v', 'vd', 'a', 'ad', 'an', 'l', 'i', 'j']);

/**
 * The terms of `text` that may stand as keywords: content words of two or more characters,
 * not stop words, and safe to show (no names, digits, or unknown words; see privacy.ts).
 */
export function contentTerms(text: string): string[] {
  return safeContentTerms(tagText(text));
}

/** The tokens that may stand as keywords (see contentTerms). */
export function safeContentTerms(tokens: readonly TaggedToken[]): string[] {
  return tokens
    .filter((token) => token.word.length >= 2 && CONTENT_TAGS.has(token.tag) && !STOP_WORDS.has(token.word))
    .filter((token) => isSafeTerm(token.word, token.tag, token.tag !== UNKNOWN_WORD_TAG))
    .map((token) => token.word);
}

/** The IDF of a term against jieba's background corpus; domain-only and unknown words get the median. */
export function inverseDocumentFrequency(term: string): number {
  const { idf, medianIdf } = getIdfTable();
  return idf.get(term) ?? medianIdf;
}

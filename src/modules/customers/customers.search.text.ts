// What a search text may mean, worked out once per query: a word query for full-text search,
// an email, a domain, phone numbers in E.164, the 2-character pieces of a CJK query, and a
// pattern for substring matching. Each search branch uses only the parts that apply.
import { containsPattern } from '../../platform/keyset.js';
import { domainFrom, normaliseEmail, phoneSearchCandidates } from './customers.normalise.js';

export interface SearchText {
  text: string;
  /** Prefix words for to_tsquery('simple', ...): `'ada':* & 'love':*`, or null without words. */
  words: string | null;
  email: string | null;
  domain: string | null;
  phones: string[];
  /** Bigrams of the CJK characters in the query, or null when it has fewer than 2 of them. */
  cjkBigrams: string[] | null;
  /** `%text%` for (I)LIKE, with the user's % and _ taken literally. */
  pattern: string;
  /** Trigram matching needs 3 characters to say anything useful. */
  isTrigramUsable: boolean;
}

const cjkRun = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{2,}/gu;
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const domainShape = /^(https?:\/\/)?([a-z0-9-]+\.)+[a-z]{2,}(\/\S*)?$/i;

/** The bigrams of every CJK run, as the customer_name_bigrams SQL function computes them. */
export function cjkBigramsOf(text: string): string[] {
  const bigrams = new Set<string>();
  for (const run of text.match(cjkRun) ?? []) {
    const characters = [...run];
    for (let index = 0; index + 1 < characters.length; index++) bigrams.add(characters[index] + characters[index + 1]);
  }
  return [...bigrams];
}

export function parseSearchText(raw: string): SearchText {
  const text = raw.trim().replace(/\s+/g, ' ');
  const wordList = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const email = emailShape.test(text) ? normaliseEmail(text) : null;
  let domain: string | null = null;
  if (email) domain = domainFrom(null, email);
  else if (domainShape.test(text)) domain = domainFrom(/^https?:\/\//i.test(text) ? text : `https://${text}`, null);
  const bigrams = cjkBigramsOf(text);
  return {
    text,
    words: wordList.length ? wordList.slice(0, 8).map((word) => `'${word}':*`).join(' & ') : null,
    email,
    domain,
    phones: phoneSearchCandidates(text),
    cjkBigrams: bigrams.length ? bigrams : null,
    pattern: containsPattern(text),
    isTrigramUsable: [...text].length >= 3,
  };
}

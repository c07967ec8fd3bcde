// The search queries over contacts and companies. Each branch is a separate subquery that one
// index answers (see docs/search-and-duplicates.md for the plans at 1M contacts), limited
// on its own, with the actor's scope inside it so a rep's hits are not crowded out by rows
// they may not see; the outer query keeps each record's best branch and ranks.
import { sql, type RawBuilder } from 'kysely';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import type { Trx } from '../../platform/db.js';
import { merged } from '../../platform/objects.js';
import type { SearchText } from './customers.search.text.js';

export interface SearchOptions {
  tenantId: string;
  owners: OwnerFilter;
  hiddenFields: string[];
  text: SearchText;
  limit: number;
  /** Blind indexes of the phone candidates when the workspace encrypts contact phones. */
  phoneIndexes?: Buffer[];
}

export interface SearchRow {
  id: string;
  name: string;
  score: number;
  matchedOn: string;
  exact: boolean;
  detail1: string | null;
  detail2: string | null;
}

type Branch = RawBuilder<unknown>;

/**
 * A branch: rows of `table` matching `condition`, each with its score and what matched. The
 * matches are a materialized CTE, which PostgreSQL plans for all its rows (so through the
 * branch's index) and reads lazily (so only up to the limit). A plain `… limit 20` let the
 * planner hope to meet 20 matches early by scanning the tenant: for a term that matches
 * nothing, such as a person's name among job titles, it read every contact (1.3 s at 200k).
 * The score may read the row's `name` (substringScore does).
 */
function branch(table: 'contact' | 'company', options: SearchOptions, condition: Branch, score: Branch, matchedOn: string) {
  const owners = ownerCondition(sql.ref('owner_id'), options.owners);
  return sql`(select id, ${score}::real as score, ${matchedOn}::text as matched_on from (
    with matched as materialized (select id, name from ${sql.table(table)} where tenant_id = ${options.tenantId} and ${condition} and ${owners})
    select id, name from matched limit ${options.limit}) as branch)`;
}

/** Candidates scored before ranking: a common surname matches tens of thousands of rows at 1M. */
const similarityPool = 200;

/**
 * Typo-tolerant names: %> (word similarity ≥ 0.6) finds "Lovelase" for "Ada Lovelace" through
 * the GIN trigram index. Scoring every candidate of a common name costs seconds, so only the
 * first `similarityPool` candidates are ranked; exact substrings come from the ILIKE branch.
 */
function similarNames(table: 'contact' | 'company', options: SearchOptions) {
  const owners = ownerCondition(sql.ref('owner_id'), options.owners);
  return sql`(select id, 0.9 * word_similarity(${options.text.text}, name)::real as score, 'name'::text as matched_on
    from (select id, name from ${sql.table(table)} where tenant_id = ${options.tenantId} and name %> ${options.text.text} and ${owners}
      limit ${similarityPool}) as candidate
    order by 2 desc limit ${options.limit})`;
}

/** The text is one word, letters and digits only: every name that has a word beginning with it also contains it. */
function isOneWord(text: SearchText): boolean {
  return text.words === `'${text.text.toLowerCase()}':*`;
}

/**
 * The substring branch's score: 0.7, or for a one-word text 0.8 where a word of the name begins
 * with it, which the word branch would have found. For such a text the word branch's matches are
 * a subset of the substring branch's, and at 1M contacts its prefix scan of the word index cost
 * as much as the substring and typo-tolerant branches together (15 ms of ~32 for a surname's
 * first five letters), so it is not run. A name whose word begins with the text is also found by
 * similarNames: its word similarity is at least n/(n+1) for a text of n ≥ 3 characters, above
 * the 0.6 that %> asks for.
 */
function substringScore(text: SearchText): Branch {
  return isOneWord(text) ? sql`case when customer_words(name) @@ to_tsquery('simple', ${text.words}) then 0.8 else 0.7 end` : sql`0.7`;
}

/** Branches every searchable table shares: typo-tolerant name, words, CJK pieces, substring. */
function nameBranches(table: 'contact' | 'company', options: SearchOptions): Branch[] {
  const { text } = options;
  if (options.hiddenFields.includes('name')) return [];
  const branches: Branch[] = [];
  if (text.isTrigramUsable) {
    branches.push(similarNames(table, options));
    branches.push(branch(table, options, sql`name ilike ${text.pattern}`, substringScore(text), 'name'));
  }
  if (text.words && !(text.isTrigramUsable && isOneWord(text))) {
    branches.push(branch(table, options, sql`customer_words(name) @@ to_tsquery('simple', ${text.words})`, sql`0.8`, 'name'));
  }
  if (text.cjkBigrams) {
    branches.push(branch(table, options, sql`customer_name_bigrams(name) @> ${text.cjkBigrams}::text[] and strpos(name, ${text.text}) > 0`, sql`0.85`, 'name'));
  }
  return branches;
}

async function runSearch(trx: Trx, branches: Branch[], rows: (hits: Branch) => Branch, limit: number): Promise<SearchRow[]> {
  if (branches.length === 0) return [];
  const hits = sql`(select distinct on (id) id, score, matched_on, score >= 1 as exact
    from (${sql.join(branches, sql` union all `)}) as found order by id, score desc)`;
  const { rows: found } = await sql<SearchRow>`${rows(hits)} order by exact desc, score desc, name, id limit ${limit}`.execute(trx);
  return found.map((row) => merged(row, { score: Math.round(Number(row.score) * 1000) / 1000 }));
}

export function searchContacts(trx: Trx, options: SearchOptions): Promise<SearchRow[]> {
  const { text } = options;
  const hidden = new Set(options.hiddenFields);
  const branches = nameBranches('contact', options);
  if (text.email && !hidden.has('email')) branches.push(branch('contact', options, sql`email = ${text.email}`, sql`1`, 'email'));
  if (text.phones.length && !hidden.has('phone')) {
    branches.push(branch('contact', options, sql`phone = any(${text.phones}::text[])`, sql`1`, 'phone'));
    if (options.phoneIndexes?.length) {
      branches.push(branch('contact', options, sql`phone_index = any(${options.phoneIndexes}::bytea[])`, sql`1`, 'phone'));
    }
  }
  if (text.words && !hidden.has('title')) {
    branches.push(branch('contact', options, sql`customer_words(title) @@ to_tsquery('simple', ${text.words})`, sql`0.6`, 'title'));
  }
  if (text.words && !hidden.has('companyId')) {
    // People at a company whose name has the words: the company's word index, then contact_company.
    const companies = sql`select id from company where tenant_id = ${options.tenantId}
      and customer_words(name) @@ to_tsquery('simple', ${text.words}) limit ${options.limit}`;
    branches.push(branch('contact', options, sql`company_id in (${companies})`, sql`0.5`, 'companyName'));
  }
  const showTitle = !hidden.has('title');
  const showCompany = !hidden.has('companyId');
  const showEmail = !hidden.has('email');
  return runSearch(trx, branches, (hits) => sql`select c.id, c.name, h.score, h.matched_on, h.exact,
      ${showTitle ? sql`c.title` : sql`null`} as detail1,
      coalesce(${showCompany ? sql`co.name` : sql`null`}, ${showEmail ? sql`c.email` : sql`null`}) as detail2
    from ${hits} as h
    join contact c on c.tenant_id = ${options.tenantId} and c.id = h.id
    left join company co on co.tenant_id = c.tenant_id and co.id = c.company_id`, options.limit);
}

export function searchCompanies(trx: Trx, options: SearchOptions): Promise<SearchRow[]> {
  const { text } = options;
  const hidden = new Set(options.hiddenFields);
  const branches = nameBranches('company', options);
  if (text.domain && !hidden.has('domain')) branches.push(branch('company', options, sql`domain = ${text.domain}`, sql`1`, 'domain'));
  if (text.email && !hidden.has('email')) branches.push(branch('company', options, sql`email = ${text.email}`, sql`1`, 'email'));
  if (text.phones.length && !hidden.has('phone')) branches.push(branch('company', options, sql`phone = any(${text.phones}::text[])`, sql`1`, 'phone'));
  const showDomain = !hidden.has('domain');
  const showCity = !hidden.has('city');
  return runSearch(trx, branches, (hits) => sql`select c.id, c.name, h.score, h.matched_on, h.exact,
      ${showDomain ? sql`c.domain` : sql`null`} as detail1, ${showCity ? sql`c.city` : sql`null`} as detail2
    from ${hits} as h join company c on c.tenant_id = ${options.tenantId} and c.id = h.id`, options.limit);
}

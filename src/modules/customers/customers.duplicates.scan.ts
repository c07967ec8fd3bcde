// The duplicate scan's SQL: one INSERT … SELECT per blocking pass. A pass compares records
// only within blocks (same phone, same domain, same company, same first name word…), so the
// work grows with the blocks' sizes, not with the square of the table. Blocks larger than a
// cap are skipped: fifty contacts sharing a switchboard number are not fifty duplicates, and
// comparing them would be quadratic. Pairs land in duplicate_pair once (record_a < record_b);
// a rerun merges reasons into the existing row and never touches its status, so a dismissed
// pair stays dismissed.
import { sql, type RawBuilder } from 'kysely';
import type { Trx } from '../../platform/db.js';
import { nameSimilarity } from './customers.duplicates.repository.js';

export type ScanObject = 'contact' | 'company';

/** Largest block of exact-key matches that is still compared pairwise. */
const maxExactBlock = 50;
/** Largest block (a company's contacts, a first word) compared by name similarity. */
const maxNameBlock = 500;

// A pass selects (first, second, score, reason) rows; `first` and `second` may come in any order.
type Pass = (tenantId: string) => RawBuilder<unknown>;

/** Records sharing an exact key (phone, domain, email), in blocks of at most maxExactBlock. */
function sameKey(keyed: RawBuilder<unknown>, score: number, reason: string) {
  return sql`
    with keyed as (${keyed}),
    blocks as (select key from keyed group by key having count(*) between 2 and ${maxExactBlock})
    select a.id as first, b.id as second, ${score}::numeric as score, ${reason}::text as reason
    from keyed a join blocks using (key) join keyed b on b.key = a.key and b.id > a.id`;
}

/** Records in the same block whose names are trigram-similar. */
function similarNames(table: 'contact' | 'company', blockKey: RawBuilder<unknown>, tenantId: string) {
  return sql`
    with blocked as (select id, name, ${blockKey} as block from ${sql.table(table)} where tenant_id = ${tenantId}),
    blocks as (select block from blocked where block is not null and block <> '' group by block having count(*) between 2 and ${maxNameBlock})
    select a.id as first, b.id as second, round(similarity(a.name, b.name)::numeric, 3) as score, 'name'::text as reason
    from blocked a join blocks using (block) join blocked b on b.block = a.block and b.id > a.id
    where similarity(a.name, b.name) >= ${nameSimilarity}`;
}

const normalisedName = sql`lower(regexp_replace(trim(name), '\\s+', ' ', 'g'))`;
const firstWord = sql`split_part(lower(regexp_replace(trim(name), '[^[:alnum:][:space:]]', '', 'g')), ' ', 1)`;

const contactPasses: Record<string, Pass> = {
  // Encrypted phones compare by their blind index, plain ones by E.164.
  phone: (tenantId) => sameKey(sql`
    select id, coalesce(encode(phone_index, 'hex'), phone) as key from contact
    where tenant_id = ${tenantId} and phone is not null`, 0.9, 'phone'),
  name_in_company: (tenantId) => similarNames('contact', sql`company_id::text`, tenantId),
  same_name: (tenantId) => sameKey(sql`select id, ${normalisedName} as key from contact where tenant_id = ${tenantId}`, 0.8, 'name'),
};

const companyPasses: Record<string, Pass> = {
  domain: (tenantId) => sameKey(sql`select id, domain as key from company where tenant_id = ${tenantId} and domain is not null`, 1, 'domain'),
  email: (tenantId) => sameKey(sql`select id, email as key from company where tenant_id = ${tenantId} and email is not null`, 1, 'email'),
  phone: (tenantId) => sameKey(sql`select id, phone as key from company where tenant_id = ${tenantId} and phone is not null`, 0.9, 'phone'),
  name: (tenantId) => similarNames('company', firstWord, tenantId),
};

export function scanPhases(object: ScanObject): string[] {
  return Object.keys(object === 'contact' ? contactPasses : companyPasses);
}

/** Runs one pass and stores its pairs; returns how many pairs it added or changed. */
export async function runScanPhase(trx: Trx, scan: { tenantId: string; id: string; object: ScanObject }, phase: string): Promise<number> {
  const pass = (scan.object === 'contact' ? contactPasses : companyPasses)[phase];
  const result = await sql`
    insert into duplicate_pair as pair (tenant_id, id, object, record_a, record_b, score, reasons, scan_id)
    select ${scan.tenantId}, rapport_uuidv7(), ${scan.object}, least(found.first, found.second), greatest(found.first, found.second),
           max(found.score), array[min(found.reason)], ${scan.id}
    from (${pass(scan.tenantId)}) as found
    group by least(found.first, found.second), greatest(found.first, found.second)
    on conflict (tenant_id, object, record_a, record_b) do update
      set score = greatest(pair.score, excluded.score),
          reasons = (select array_agg(distinct reason order by reason) from unnest(pair.reasons || excluded.reasons) as reason),
          scan_id = excluded.scan_id, updated_at = now()
      where not (pair.reasons @> excluded.reasons and pair.score >= excluded.score and pair.scan_id = excluded.scan_id)`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

// Likely duplicates of one contact or company, asked right after it is written: the same
// email, phone or domain (each an index lookup), or a similar name (trigram similarity ≥ 0.6)
// at the same company for contacts, anywhere for companies. Only records the actor may read.
import { sql, type RawBuilder } from 'kysely';
import type { OwnerFilter } from '../../platform/authorization/authorization.js';
import { ownerCondition } from '../../platform/authorization/owner-condition.js';
import type { Trx } from '../../platform/db.js';
import type { DuplicateCandidate } from './customers.duplicates.schemas.js';

export const nameSimilarity = 0.6;
const maxCandidates = 10;

interface Probe {
  tenantId: string;
  id: string;
  owners: OwnerFilter;
  hiddenFields: string[];
}

type Branch = RawBuilder<unknown>;

async function runProbe(trx: Trx, table: 'contact' | 'company', probe: Probe, branches: Branch[]): Promise<DuplicateCandidate[]> {
  if (branches.length === 0) return [];
  const { rows } = await sql<{ id: string; name: string; score: number; reasons: DuplicateCandidate['reasons'] }>`
    select found.id, record.name, max(found.score) as score, array_agg(distinct found.reason) as reasons
    from (${sql.join(branches, sql` union all `)}) as found
    join ${sql.table(table)} as record on record.tenant_id = ${probe.tenantId} and record.id = found.id
    where found.id <> ${probe.id} and ${ownerCondition(sql.ref('record.owner_id'), probe.owners)}
    group by found.id, record.name order by score desc, found.id limit ${maxCandidates}`.execute(trx);
  return rows.map((row) => ({ id: row.id, name: row.name, score: Math.round(Number(row.score) * 1000) / 1000, reasons: row.reasons }));
}

const exact = (table: 'contact' | 'company', tenantId: string, condition: Branch, reason: string, score: number) =>
  sql`(select id, ${reason}::text as reason, ${score}::real as score from ${sql.table(table)}
    where tenant_id = ${tenantId} and ${condition} limit ${maxCandidates + 1})`;

export const duplicatesRepository = {
  /** Phone: E.164 when stored plainly, the blind index when the workspace encrypts phones. */
  findContactCandidates(trx: Trx, probe: Probe, record: { name: string; email: string | null; phone: string | null; phoneIndex: Buffer | null; companyId: string | null }) {
    const hidden = new Set(probe.hiddenFields);
    const branches: Branch[] = [];
    if (record.email && !hidden.has('email')) branches.push(exact('contact', probe.tenantId, sql`email = ${record.email}`, 'email', 1));
    if (!hidden.has('phone')) {
      if (record.phoneIndex) branches.push(exact('contact', probe.tenantId, sql`phone_index = ${record.phoneIndex}`, 'phone', 0.9));
      else if (record.phone) branches.push(exact('contact', probe.tenantId, sql`phone = ${record.phone}`, 'phone', 0.9));
    }
    if (record.companyId && !hidden.has('name')) {
      branches.push(sql`(select id, 'name'::text as reason, similarity(name, ${record.name})::real as score from contact
        where tenant_id = ${probe.tenantId} and company_id = ${record.companyId} and similarity(name, ${record.name}) >= ${nameSimilarity}
        limit ${maxCandidates + 1})`);
    }
    return runProbe(trx, 'contact', probe, branches);
  },

  findCompanyCandidates(trx: Trx, probe: Probe, record: { name: string; domain: string | null; email: string | null; phone: string | null }) {
    const hidden = new Set(probe.hiddenFields);
    const branches: Branch[] = [];
    if (record.domain && !hidden.has('domain')) branches.push(exact('company', probe.tenantId, sql`domain = ${record.domain}`, 'domain', 1));
    if (record.email && !hidden.has('email')) branches.push(exact('company', probe.tenantId, sql`email = ${record.email}`, 'email', 1));
    if (record.phone && !hidden.has('phone')) branches.push(exact('company', probe.tenantId, sql`phone = ${record.phone}`, 'phone', 0.9));
    if (!hidden.has('name')) {
      // % (similarity ≥ 0.3) lets the trigram index find candidates; the second test keeps ≥ 0.6.
      branches.push(sql`(select id, 'name'::text as reason, similarity(name, ${record.name})::real as score from company
        where tenant_id = ${probe.tenantId} and name % ${record.name} and similarity(name, ${record.name}) >= ${nameSimilarity}
        limit ${maxCandidates + 1})`);
    }
    return runProbe(trx, 'company', probe, branches);
  },
};

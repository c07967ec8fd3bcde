// Deterministic rows for a tier, written as PostgreSQL COPY text files (one per table), so
// the same seed gives the same database on every machine. Names, phones and titles come
// from the customers factory the demo seed and the tests use; this file adds what only a
// benchmark needs: Zipf tenant sizes, skewed owners, planted duplicates, UUIDv7 ids and
// millisecond timestamps spread over two years.
import fs from 'node:fs';
import path from 'node:path';
import { UUID } from 'uuidv7';
import { createCustomerFactory, createRandom, type Random } from '../src/modules/customers/customers.factory.js';
import { domainFrom } from '../src/modules/customers/customers.normalise.js';
import { listTenantSizes, type Tier } from './tiers.js';

/** Share of contacts that repeat an earlier contact's name and phone (what dedup must find). */
export const duplicateRate = 0.02;
const historyStart = Date.UTC(2024, 0, 1);
const historySpanMs = 2 * 365 * 86_400_000;

export interface GeneratedData {
  directory: string;
  files: { tenant: string; appUser: string; company: string; measuredContacts: string; otherContacts: string };
  counts: { tenants: number; users: number; companies: number; contacts: number; duplicates: number };
  measured: MeasuredTenant;
}

/** What the operations need to know about the largest tenant, the one under load. */
export interface MeasuredTenant {
  tenantId: string;
  ownerId: string;
  contacts: number;
  contactIds: string[];
  companyIdsWithContacts: string[];
  searchTerms: string[];
}

type Value = string | null;

function escapeCopy(value: Value): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Buffers COPY lines and writes them in large chunks; sync writes keep the generator simple. */
function openCopyFile(file: string) {
  const descriptor = fs.openSync(file, 'w');
  let chunk = '';
  return {
    writeRow(values: Value[]) {
      chunk += values.map(escapeCopy).join('\t') + '\n';
      if (chunk.length > 1 << 20) this.flush();
    },
    flush() {
      fs.writeSync(descriptor, chunk);
      chunk = '';
    },
    close() {
      this.flush();
      fs.closeSync(descriptor);
    },
  };
}
type CopyFile = ReturnType<typeof openCopyFile>;

/** A UUIDv7 whose timestamp is the row's creation time and whose random bits come from the seed. */
function createUuid(random: Random, atMs: number): string {
  return UUID.fromFieldsV7(atMs, random.integer(0, 0xfff), random.integer(0, 0x3fffffff), random.integer(0, 0xffffffff)).toString();
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Index into a list of owners, skewed so the first few own most records (a sales team's top performers). */
function pickSkewed(random: Random, count: number): number {
  return Math.min(count - 1, Math.floor(count * random.next() ** 2.5));
}

interface TenantFiles {
  tenant: CopyFile;
  appUser: CopyFile;
  company: CopyFile;
  contact: CopyFile;
}

function generateTenant(seed: number, index: number, contactCount: number, tier: Tier, files: TenantFiles) {
  const random = createRandom(seed * 7919 + index);
  const factory = createCustomerFactory(seed * 104_729 + index);
  const createdAt = historyStart + index * 60_000;
  const tenantId = createUuid(random, createdAt);
  files.tenant.writeRow([tenantId, `Bench ${tier.name} tenant ${index + 1}`, `bench-${tier.name.toLowerCase()}-${index + 1}`, 'UTC', iso(createdAt)]);

  const userIds: string[] = [];
  const userCount = Math.min(25, Math.max(3, Math.ceil(contactCount / 5000)));
  for (let user = 0; user < userCount; user++) {
    const id = createUuid(random, createdAt + user);
    userIds.push(id);
    files.appUser.writeRow([tenantId, id, `user${user + 1}@tenant${index + 1}.bench.example`, factory.personName(random.chance(0.3)),
      null, user === 0 ? 'owner' : 'member', 'en', 'UTC', iso(createdAt + user), iso(createdAt + user), null]);
  }

  const companyIds: string[] = [];
  const companyCount = Math.max(1, Math.round(contactCount * tier.companiesPerContact));
  for (let company = 0; company < companyCount; company++) {
    const at = createdAt + Math.floor((company / companyCount) * historySpanMs) + random.integer(0, 999);
    const id = createUuid(random, at);
    companyIds.push(id);
    const values = factory.company();
    files.company.writeRow([tenantId, id, values.name, values.website ?? null, domainFrom(values.website, null), null, values.phone ?? null,
      values.industry ?? null, values.city ?? null, values.country ?? null, userIds[pickSkewed(random, userCount)], iso(at), iso(at + random.integer(0, 86_400_000))]);
  }

  const recent: { name: string; phone: string | null }[] = [];
  const contactIds: string[] = [];
  const linkedCompanies = new Set<string>();
  const names: string[] = [];
  const phones: string[] = [];
  let duplicates = 0;
  for (let contact = 0; contact < contactCount; contact++) {
    const at = createdAt + Math.floor((contact / contactCount) * historySpanMs) + random.integer(0, 999);
    const id = createUuid(random, at);
    let values = factory.contact();
    // A duplicate: the same person entered again, same name and phone, no email or another one.
    if (recent.length > 0 && random.chance(duplicateRate)) {
      const original = random.pick(recent);
      values = { ...values, name: original.name, phone: original.phone, email: random.chance(0.5) ? null : `dup.${values.email}` };
      duplicates++;
    } else {
      if (recent.length < 4096) recent.push({ name: values.name, phone: values.phone ?? null });
      else recent[random.integer(0, 4095)] = { name: values.name, phone: values.phone ?? null };
    }
    const companyId = random.chance(0.85) ? random.pick(companyIds) : null;
    if (companyId) linkedCompanies.add(companyId);
    files.contact.writeRow([tenantId, id, values.name, values.email ?? null, values.phone ?? null, values.title ?? null, companyId,
      userIds[pickSkewed(random, userCount)], iso(at), iso(Math.min(at + random.integer(0, 30 * 86_400_000), historyStart + historySpanMs))]);
    if (index === 0 && contact % Math.max(1, Math.floor(contactCount / 2000)) === 0) {
      contactIds.push(id);
      names.push(values.name);
      if (values.phone) phones.push(values.phone);
    }
  }
  const measured: MeasuredTenant = {
    tenantId, ownerId: userIds[0], contacts: contactCount, contactIds,
    companyIdsWithContacts: [...linkedCompanies].slice(0, 500), searchTerms: pickSearchTerms(random, names, phones),
  };
  return { users: userCount, companies: companyCount, duplicates, measured };
}

/** CJK two-character names, email fragments and phone digits, as people type them into a search box. */
function pickSearchTerms(random: Random, names: string[], phones: string[]): string[] {
  const cjk = names.filter((name) => /^[\u4e00-\u9fff]{2}$/.test(name));
  const latin = names.filter((name) => name.includes(' '));
  const terms: string[] = [];
  for (let index = 0; index < 4 && cjk.length > 0; index++) terms.push(random.pick(cjk));
  for (let index = 0; index < 4 && latin.length > 0; index++) {
    const [first, last] = random.pick(latin).toLowerCase().normalize('NFKD').replace(/[^a-z ]/g, '').split(' ');
    terms.push(index % 2 === 0 ? `${first}.${last}` : last.slice(0, 5));
  }
  for (let index = 0; index < 4 && phones.length > 0; index++) {
    const digits = random.pick(phones).replace(/\D/g, '');
    terms.push(digits.slice(-7));
  }
  return terms;
}

export function generateTier(tier: Tier, seed: number, directory: string): GeneratedData {
  fs.mkdirSync(directory, { recursive: true });
  const files = {
    tenant: path.join(directory, 'tenant.tsv'), appUser: path.join(directory, 'app_user.tsv'), company: path.join(directory, 'company.tsv'),
    measuredContacts: path.join(directory, 'contact-measured.tsv'), otherContacts: path.join(directory, 'contact-other.tsv'),
  };
  const tenant = openCopyFile(files.tenant);
  const appUser = openCopyFile(files.appUser);
  const company = openCopyFile(files.company);
  const measuredContacts = openCopyFile(files.measuredContacts);
  const otherContacts = openCopyFile(files.otherContacts);
  const counts = { tenants: 0, users: 0, companies: 0, contacts: 0, duplicates: 0 };
  let measured: MeasuredTenant | undefined;
  listTenantSizes(tier).forEach((size, index) => {
    const contact = index === 0 ? measuredContacts : otherContacts;
    const result = generateTenant(seed, index, size, tier, { tenant, appUser, company, contact });
    counts.tenants++;
    counts.users += result.users;
    counts.companies += result.companies;
    counts.contacts += size;
    counts.duplicates += result.duplicates;
    if (index === 0) measured = result.measured;
  });
  for (const file of [tenant, appUser, company, measuredContacts, otherContacts]) file.close();
  return { directory, files, counts, measured: measured! };
}

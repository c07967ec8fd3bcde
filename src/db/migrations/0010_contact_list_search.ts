// A list's search box (`GET /contacts?q=`) matches name, email, company name and phone digits.
// Written as one OR over indexed columns, PostgreSQL answers it with a BitmapOr of index scans
// instead of reading a whole tenant's contacts in name order. Phone digits need a trigram
// index of their own (the E.164 btree serves only equality); it leaves out encrypted phones,
// whose ciphertext no digit search may match and which would only bloat it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index contact_phone_trgm on contact using gin (phone gin_trgm_ops) where phone not like 'enc:%'`.execute(db);
}

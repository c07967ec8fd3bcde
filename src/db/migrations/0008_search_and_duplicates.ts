// Global search, duplicate detection and merge (docs/search-and-duplicates.md).
// Search: expression indexes for word search (tsvector, `simple` config: no stemming, works
// for any language), exact lookups on company email and phone, and a GIN index on the 2-character
// substrings of CJK names, because pg_trgm cannot find a two-character Chinese query.
// Duplicates: a scan records its progress in duplicate_scan and its scored pairs in
// duplicate_pair (one row per pair, so a rerun updates instead of adding). Merge: each merge
// keeps the before-images of every record it touched and each hook's undo note.
import { sql, type Kysely } from 'kysely';

function isolate(table: string) {
  return sql.raw(`
    alter table ${table} enable row level security;
    alter table ${table} force row level security;
    create policy ${table}_tenant_isolation on ${table}
      using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
  `);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    -- Words of a name or title for full-text search (\`simple\`: no stemming, any language).
    -- A wrapper rather than to_tsvector in the index: under row-level security an index serves
    -- a condition only if every function applied to the row is LEAKPROOF (marked below), and
    -- the pinned search_path keeps the planner from inlining it back into to_tsvector.
    create or replace function customer_words(value text) returns tsvector
      language sql immutable parallel safe cost 1000 set search_path = pg_catalog
      as $$ select to_tsvector('simple'::regconfig, coalesce(value, '')) $$;

    -- Every 2-character substring of the CJK runs of a name ('张伟明' → {张伟, 伟明}); other
    -- names give an empty array and cost the index nothing. A query's bigrams all contained
    -- (@>) narrows the rows; a LIKE on the name then confirms the substring.
    create or replace function customer_name_bigrams(name text) returns text[]
      language sql immutable strict parallel safe cost 1000 set search_path = pg_catalog as $$
        select coalesce(array_agg(distinct substr(run, position, 2)), '{}')
        from regexp_matches(name, '[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff]{2,}', 'g') as found(parts),
             lateral (select parts[1] as run) as r,
             lateral generate_series(1, char_length(run) - 1) as position
      $$;

    -- Time-ordered ids (UUIDv7, like the application's) for rows made in bulk by SQL: the
    -- first 48 bits are the millisecond clock, version bits 0111, the rest random.
    create or replace function rapport_uuidv7() returns uuid language sql volatile parallel safe as $$
      select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid
    $$;

    create index contact_name_words on contact using gin (customer_words(name));
    create index contact_title_words on contact using gin (customer_words(title));
    create index contact_name_bigrams on contact using gin (customer_name_bigrams(name));
    create index company_name_words on company using gin (customer_words(name));
    create index company_name_bigrams on company using gin (customer_name_bigrams(name));
    -- The existing company_domain index sorts by coalesce(domain, ''), which row-level security
    -- keeps from serving an equality (coalesce is not leakproof): exact lookups use this one.
    create index company_domain_lookup on company (tenant_id, domain) where domain is not null;
    create index company_email on company (tenant_id, email) where email is not null;
    create index company_phone on company (tenant_id, phone) where phone is not null;

    create table duplicate_scan (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null check (object in ('contact', 'company')),
      status text not null check (status in ('queued', 'running', 'completed', 'failed')),
      phases_done text[] not null default '{}',
      phase_count integer not null,
      pairs_found integer not null default 0,
      error text,
      started_by uuid,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (tenant_id, id)
    );
    create index duplicate_scan_object on duplicate_scan (tenant_id, object, created_at);

    -- record_a < record_b, so a pair has one row whichever way it was found.
    create table duplicate_pair (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null check (object in ('contact', 'company')),
      record_a uuid not null,
      record_b uuid not null check (record_a < record_b),
      score numeric(4, 3) not null,
      reasons text[] not null,
      status text not null default 'open' check (status in ('open', 'dismissed', 'merged')),
      scan_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, object, record_a, record_b)
    );
    create index duplicate_pair_queue on duplicate_pair (tenant_id, object, status, score, id);
    create index duplicate_pair_scan on duplicate_pair (tenant_id, scan_id);
    create index duplicate_pair_record_b on duplicate_pair (tenant_id, object, record_b);

    create table merge (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null check (object in ('contact', 'company')),
      survivor_id uuid not null,
      merged_ids uuid[] not null,
      -- Rows as stored (to_jsonb of the table row): encrypted phones stay ciphertext.
      survivor_before jsonb not null,
      survivor_after jsonb not null,
      merged_before jsonb not null,
      hook_notes jsonb not null default '[]',
      actor_id uuid,
      created_at timestamptz not null default now(),
      undone_at timestamptz,
      undone_by uuid,
      primary key (tenant_id, id)
    );
    create index merge_survivor on merge (tenant_id, survivor_id, created_at);
    create index merge_merged_ids on merge using gin (merged_ids);

    -- As in 0006: under row-level security the planner uses an index for a condition only when
    -- every function in it is LEAKPROOF. The operators can fail only on their arguments' types;
    -- customer_words could fail only on a value over 1 MB, which names and titles (200
    -- characters at most) never are; customer_name_bigrams cannot fail. Needs a superuser;
    -- without one search works, unindexed (docs/install.md).
    do $$ begin
      if (select rolsuper from pg_roles where rolname = current_user) then
        alter function arraycontains(anyarray, anyarray) leakproof;
        alter function ts_match_vq(tsvector, tsquery) leakproof;
        alter function similarity_op(text, text) leakproof;
        alter function word_similarity_commutator_op(text, text) leakproof;
        -- Their cost (1) makes a scan that stops at LIMIT look cheap; real cost is ~50 µs a row.
        alter function similarity_op(text, text) cost 100;
        alter function word_similarity_commutator_op(text, text) cost 100;
        alter function customer_words(text) leakproof;
        alter function customer_name_bigrams(text) leakproof;
      end if;
    end $$;
  `).execute(db);
  for (const table of ['duplicate_scan', 'duplicate_pair', 'merge']) await isolate(table).execute(db);
}

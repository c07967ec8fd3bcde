// Customers at scale: custom field definitions and their values (a jsonb column on contact and
// company, keyed by definition key), tags on records, saved segments and saved list views.
// record_tag points at records of several objects, so it cannot carry a foreign key to them;
// triggers drop a record's tags when the record is deleted.
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
    create table custom_field (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null,
      key text not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
      label text not null,
      type text not null,
      options jsonb not null default '[]',
      reference_object text,
      required boolean not null default false,
      sensitive boolean not null default false,
      position integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, object, key)
    );

    alter table contact add column custom_fields jsonb not null default '{}';
    alter table company add column custom_fields jsonb not null default '{}';
    -- Equality filters (custom_fields @> '{"key": value}') use these. A GIN index cannot lead
    -- with tenant_id without the btree_gin extension; row-level security keeps it tenant-local.
    create index contact_custom_fields on contact using gin (custom_fields jsonb_path_ops);
    create index company_custom_fields on company using gin (custom_fields jsonb_path_ops);

    create table tag (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      name text not null,
      color text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create unique index tag_name on tag (tenant_id, lower(name));

    create table record_tag (
      tenant_id uuid not null,
      tag_id uuid not null,
      object text not null,
      record_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, object, record_id, tag_id),
      foreign key (tenant_id, tag_id) references tag (tenant_id, id) on delete cascade
    );
    create index record_tag_tag on record_tag (tenant_id, tag_id);

    create or replace function record_tag_forget_record() returns trigger language plpgsql as $$
    begin
      delete from record_tag where tenant_id = old.tenant_id and object = tg_argv[0] and record_id = old.id;
      return old;
    end $$;
    create trigger contact_forget_tags after delete on contact
      for each row execute function record_tag_forget_record('contact');
    create trigger company_forget_tags after delete on company
      for each row execute function record_tag_forget_record('company');

    create table segment (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null,
      name text not null,
      filter jsonb not null,
      owner_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, owner_id) references app_user (tenant_id, id) on delete set null (owner_id)
    );

    create table saved_view (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null,
      name text not null,
      owner_id uuid,
      shared boolean not null default false,
      columns jsonb not null default '[]',
      filter jsonb,
      sort text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, owner_id) references app_user (tenant_id, id) on delete cascade
    );
    create index saved_view_object on saved_view (tenant_id, object);

    -- Like ILIKE in 0006: under row-level security the planner uses the GIN index for @> only
    -- when jsonb_contains is LEAKPROOF. It can fail only on its arguments' types, never on
    -- what a row holds. Needs a superuser; without one, equality filters work unindexed.
    do $$ begin
      if (select rolsuper from pg_roles where rolname = current_user) then
        alter function jsonb_contains(jsonb, jsonb) leakproof;
      end if;
    end $$;
  `).execute(db);
  for (const table of ['custom_field', 'tag', 'record_tag', 'segment', 'saved_view']) await isolate(table).execute(db);
}

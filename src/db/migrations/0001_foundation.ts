// Tenancy, identity, customers and the change log: the tables the walking skeleton needs.
// Every tenant-owned table: (tenant_id, id) primary key, RLS enabled and forced, a policy
// that reads the transaction's `app.tenant_id`. Grants to the app role are made by the
// migration runner after every run, so a migration only declares its tables.
import { sql, type Kysely } from 'kysely';

function isolate(table: string, authLookup = false) {
  const visible = authLookup ? 'tenant_id = app_tenant_id() or app_is_auth_lookup()' : 'tenant_id = app_tenant_id()';
  return sql.raw(`
    alter table ${table} enable row level security;
    alter table ${table} force row level security;
    create policy ${table}_tenant_isolation on ${table}
      using (${visible}) with check (tenant_id = app_tenant_id());
  `);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql.raw(`
    do $$ begin
      create role rapport_app nologin;
    exception when duplicate_object or unique_violation then null;
    end $$;
    do $$ begin
      if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant rapport_app to %I', current_user);
      end if;
    end $$;
    create or replace function app_tenant_id() returns uuid language sql stable
      as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
    -- Sign-in must find a user, session or API key before it knows the tenant. Only the
    -- identity module's lookup transactions set this flag, and only for reading.
    create or replace function app_is_auth_lookup() returns boolean language sql stable
      as $$ select coalesce(current_setting('app.auth_lookup', true), '') = 'on' $$;
    -- The text each change-log row's hash covers. Appending and verifying both call it, so
    -- they cannot drift apart. Time goes in as epoch microseconds: independent of TimeZone.
    create or replace function change_log_payload(
      at timestamptz, actor_id uuid, actor_type text, entity text, entity_id uuid,
      operation text, before jsonb, after jsonb
    ) returns text language sql stable as $$
      select jsonb_build_object(
        'at', floor(extract(epoch from at) * 1000000)::bigint, 'actorId', actor_id,
        'actorType', actor_type, 'entity', entity, 'entityId', entity_id,
        'operation', operation, 'before', before, 'after', after)::text
    $$;
  `).execute(db);

  await sql.raw(`
    create table tenant (
      id uuid primary key,
      name text not null,
      slug text not null unique,
      time_zone text not null default 'UTC',
      created_at timestamptz not null default now()
    );
    alter table tenant enable row level security;
    alter table tenant force row level security;
    create policy tenant_isolation on tenant
      using (id = app_tenant_id() or app_is_auth_lookup()) with check (id = app_tenant_id());

    create table app_user (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      email text not null check (email = lower(email)),
      name text not null,
      password_hash text,
      role text not null,
      locale text not null default 'en',
      time_zone text not null default 'UTC',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      disabled_at timestamptz,
      primary key (tenant_id, id),
      unique (tenant_id, email)
    );
    create index app_user_email on app_user (email);

    create table session (
      tenant_id uuid not null,
      id uuid not null,
      token_hash bytea not null,
      user_id uuid not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text,
      revoked_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
    );
    create unique index session_token_hash on session (token_hash);
    create index session_expires_at on session (tenant_id, expires_at);

    create table api_key (
      tenant_id uuid not null,
      id uuid not null,
      name text not null,
      prefix text not null,
      secret_hash bytea not null,
      user_id uuid not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
    );
    create unique index api_key_secret_hash on api_key (secret_hash);

    create table company (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      name text not null,
      website text,
      domain text,
      email text,
      phone text,
      industry text,
      city text,
      country text,
      owner_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, owner_id) references app_user (tenant_id, id) on delete set null (owner_id)
    );
    create index company_name on company (tenant_id, name, id);
    create index company_created_at on company (tenant_id, created_at, id);
    create index company_updated_at on company (tenant_id, updated_at, id);
    create index company_domain on company (tenant_id, (coalesce(domain, '')), id);
    create index company_name_trgm on company using gin (name gin_trgm_ops);

    create table contact (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      name text not null,
      email text check (email = lower(email)),
      phone text,
      title text,
      company_id uuid,
      owner_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, company_id) references company (tenant_id, id) on delete set null (company_id),
      foreign key (tenant_id, owner_id) references app_user (tenant_id, id) on delete set null (owner_id)
    );
    create unique index contact_email on contact (tenant_id, email) where email is not null;
    create index contact_name on contact (tenant_id, name, id);
    create index contact_email_sort on contact (tenant_id, (coalesce(email, '')), id);
    create index contact_created_at on contact (tenant_id, created_at, id);
    create index contact_updated_at on contact (tenant_id, updated_at, id);
    create index contact_company on contact (tenant_id, company_id);
    create index contact_phone on contact (tenant_id, phone);
    create index contact_name_trgm on contact using gin (name gin_trgm_ops);
    create index contact_email_trgm on contact using gin (email gin_trgm_ops);

    -- The change log (ARCHITECTURE §4). change_log_head holds each tenant's last sequence
    -- number and hash; updating it serialises a tenant's writers, so within a tenant the
    -- sequence order is the commit order and the hash chain has no forks.
    create table change_log_head (
      tenant_id uuid primary key references tenant (id) on delete cascade,
      seq bigint not null,
      hash bytea not null
    );
    create table change_log (
      tenant_id uuid not null references tenant (id) on delete cascade,
      seq bigint not null,
      at timestamptz not null default now(),
      actor_id uuid,
      actor_name text,
      actor_type text not null,
      entity text not null,
      entity_id uuid not null,
      operation text not null,
      before jsonb,
      after jsonb,
      request_id text,
      ip text,
      hash bytea not null,
      primary key (tenant_id, seq)
    );
    create index change_log_entity on change_log (tenant_id, entity, entity_id, seq);
  `).execute(db);

  for (const table of ['app_user', 'session', 'api_key']) await isolate(table, true).execute(db);
  for (const table of ['company', 'contact', 'change_log', 'change_log_head']) await isolate(table).execute(db);
}

// Single sign-on: per-workspace OIDC and SAML settings, and the short-lived state of sign-ins
// in progress (OIDC state, nonce and PKCE verifier; SAML request ids for InResponseTo).
// All three are read before a session exists (the sign-in URLs carry a workspace slug or an
// opaque state), so they allow reading under app_is_auth_lookup(); writes stay tenant-bound.
import { sql, type Kysely } from 'kysely';

function isolateForAuthLookup(table: string) {
  return sql.raw(`
    alter table ${table} enable row level security;
    alter table ${table} force row level security;
    create policy ${table}_tenant_isolation on ${table}
      using (tenant_id = app_tenant_id() or app_is_auth_lookup()) with check (tenant_id = app_tenant_id());
  `);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    create table sso_oidc_setting (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      issuer_url text not null,
      client_id text not null,
      -- Stored as given for now; field encryption is a later change.
      client_secret text not null,
      allowed_domains text[] not null default '{}',
      default_role text not null default 'sales_rep',
      is_enabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id)
    );

    create table sso_saml_setting (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      entry_point text not null,
      idp_certificate text not null,
      sp_entity_id text not null,
      allowed_domains text[] not null default '{}',
      default_role text not null default 'sales_rep',
      is_enabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id)
    );

    -- One row per sign-in started and not yet finished; consumed (deleted) by the callback.
    create table sso_login_attempt (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      protocol text not null check (protocol in ('oidc', 'saml')),
      -- OIDC: sha256 of the state parameter, looked up by the callback before the tenant is known.
      state_hash bytea,
      nonce text,
      code_verifier text,
      redirect_uri text,
      -- SAML: the AuthnRequest id the response must answer (InResponseTo).
      request_id text,
      requested_at text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (tenant_id, id)
    );
    create unique index sso_login_attempt_state_hash on sso_login_attempt (state_hash) where state_hash is not null;
    create unique index sso_login_attempt_request_id on sso_login_attempt (tenant_id, request_id) where request_id is not null;
    create index sso_login_attempt_expires_at on sso_login_attempt (tenant_id, expires_at);
  `).execute(db);

  for (const table of ['sso_oidc_setting', 'sso_saml_setting', 'sso_login_attempt']) await isolateForAuthLookup(table).execute(db);
}

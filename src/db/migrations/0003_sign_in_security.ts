// Sign-in security: the workspace's two-factor requirement, TOTP secrets and recovery codes,
// the short-lived challenge between password and second factor, password-reset tokens, and
// the record of sign-in attempts that throttling counts.
import { sql, type Kysely } from 'kysely';

// The same policy as in 0001: a migration that has landed is never edited, so it is repeated here.
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
  await sql.raw(`
    alter table tenant add column require_totp boolean not null default false;

    -- A pending secret has enabled_at null until the user proves it with a first code.
    -- last_used_step is the last accepted 30-second step: a code is never accepted twice.
    create table user_totp (
      tenant_id uuid not null,
      id uuid not null,
      user_id uuid not null,
      secret text not null,
      enabled_at timestamptz,
      last_used_step bigint,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, user_id),
      foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
    );

    create table totp_recovery_code (
      tenant_id uuid not null,
      id uuid not null,
      user_id uuid not null,
      code_hash bytea not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
    );
    create index totp_recovery_code_user on totp_recovery_code (tenant_id, user_id);

    -- Issued when the password was right and a second factor is still due.
    create table mfa_challenge (
      tenant_id uuid not null,
      id uuid not null,
      token_hash bytea not null,
      user_id uuid not null,
      expires_at timestamptz not null,
      attempts integer not null default 0,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
    );
    create unique index mfa_challenge_token_hash on mfa_challenge (token_hash);

    create table password_reset_token (
      tenant_id uuid not null,
      id uuid not null,
      token_hash bytea not null,
      user_id uuid not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
    );
    create unique index password_reset_token_hash on password_reset_token (token_hash);
    create index password_reset_token_user on password_reset_token (tenant_id, user_id, created_at);

    -- Not tenant-owned: an attempt names an email and an address before any workspace is known
    -- (and for an unknown email there is none). Only sign-in transactions (app.auth_lookup)
    -- may read or write it; tenant transactions see nothing.
    create table sign_in_attempt (
      id uuid primary key,
      email text not null,
      ip text not null,
      succeeded boolean not null,
      at timestamptz not null default now()
    );
    create index sign_in_attempt_email on sign_in_attempt (email, at);
    create index sign_in_attempt_ip on sign_in_attempt (ip, at);
    alter table sign_in_attempt enable row level security;
    alter table sign_in_attempt force row level security;
    create policy sign_in_attempt_auth_lookup on sign_in_attempt
      using (app_is_auth_lookup()) with check (app_is_auth_lookup());
  `).execute(db);

  for (const table of ['user_totp', 'mfa_challenge', 'password_reset_token']) await isolate(table, true).execute(db);
  await isolate('totp_recovery_code').execute(db);
}

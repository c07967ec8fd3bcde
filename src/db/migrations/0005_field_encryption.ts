// Field encryption (src/platform/encryption): each tenant's data keys, wrapped by the master
// key, one row per version; which fields the tenant encrypts; and the blind index that lets
// an encrypted contact phone be found by equality. Deleting the tenant deletes its keys
// (cascade), which leaves its ciphertext in old backups unreadable.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    create table tenant_data_key (
      tenant_id uuid not null references tenant (id) on delete cascade,
      version integer not null check (version > 0),
      wrapped_key bytea not null,
      wrapped_by text not null,
      created_at timestamptz not null default now(),
      -- Set once the rotation job has moved every value to a newer version: no longer used
      -- for writing or searching, kept so that older backups and change-log rows still read.
      retired_at timestamptz,
      primary key (tenant_id, version)
    );

    create table tenant_encryption_setting (
      tenant_id uuid primary key references tenant (id) on delete cascade,
      fields text[] not null,
      updated_at timestamptz not null default now()
    );

    alter table contact add column phone_index bytea;
    create index contact_phone_index on contact (tenant_id, phone_index) where phone_index is not null;
  `).execute(db);
  for (const table of ['tenant_data_key', 'tenant_encryption_setting']) {
    await sql.raw(`
      alter table ${table} enable row level security;
      alter table ${table} force row level security;
      create policy ${table}_tenant_isolation on ${table}
        using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
    `).execute(db);
  }
}

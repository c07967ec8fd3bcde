// Imports and exports of contacts and companies (docs/import-export.md). An import row is
// also the job's checkpoint: each batch commits its records, its change-log rows, its
// rejected rows and the import's counters in one transaction, so a restarted job resumes
// after the last committed row. import_record says what each imported record went through,
// for undo. external_id lets a file from another system upsert by that system's id.
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
    alter table contact add column external_id text;
    alter table company add column external_id text;
    create unique index contact_external_id on contact (tenant_id, external_id) where external_id is not null;
    create unique index company_external_id on company (tenant_id, external_id) where external_id is not null;

    create table data_import (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null check (object in ('contact', 'company')),
      mode text not null check (mode in ('create', 'upsert_email', 'upsert_external_id')),
      dry_run boolean not null default false,
      status text not null check (status in ('queued', 'running', 'completed', 'failed', 'undoing', 'undone')),
      file_name text not null,
      file_path text not null,
      encoding text not null default 'utf-8',
      mapping jsonb not null,
      headers jsonb not null default '[]',
      created_by uuid,
      actor jsonb not null,
      rows_read bigint not null default 0,
      created bigint not null default 0,
      updated bigint not null default 0,
      skipped bigint not null default 0,
      rejected bigint not null default 0,
      bytes_read bigint not null default 0,
      bytes_total bigint not null default 0,
      rows_total bigint,
      delimiter text,
      error_code text,
      error_message text,
      undo_report jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, created_by) references app_user (tenant_id, id) on delete set null (created_by)
    );
    create index data_import_created_at on data_import (tenant_id, created_at, id);

    create table import_error (
      tenant_id uuid not null,
      import_id uuid not null,
      row_number bigint not null,
      code text not null,
      field text,
      message text not null,
      row_values jsonb not null,
      primary key (tenant_id, import_id, row_number),
      foreign key (tenant_id, import_id) references data_import (tenant_id, id) on delete cascade
    );

    -- One row per record an import created or updated: its first action and the values
    -- before it (for undo), and the updated_at the import left, to spot later changes.
    create table import_record (
      tenant_id uuid not null,
      import_id uuid not null,
      record_id uuid not null,
      action text not null check (action in ('created', 'updated')),
      before jsonb,
      left_at timestamptz not null,
      primary key (tenant_id, import_id, record_id),
      foreign key (tenant_id, import_id) references data_import (tenant_id, id) on delete cascade
    );

    create table import_template (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      name text not null,
      object text not null check (object in ('contact', 'company')),
      mapping jsonb not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create unique index import_template_name on import_template (tenant_id, object, lower(name));

    create table data_export (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      object text not null check (object in ('contact', 'company')),
      format text not null check (format in ('csv', 'json')),
      query jsonb not null,
      status text not null check (status in ('queued', 'running', 'completed', 'failed', 'expired')),
      actor jsonb not null,
      rows_written bigint not null default 0,
      file_path text,
      error_message text,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (tenant_id, id)
    );
    create index data_export_created_at on data_export (tenant_id, created_at, id);
  `).execute(db);
  for (const table of ['data_import', 'import_error', 'import_record', 'import_template', 'data_export']) await isolate(table).execute(db);
}

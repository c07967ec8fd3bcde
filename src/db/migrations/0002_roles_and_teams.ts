// Custom roles, teams with managers and sub-teams, and API keys bound to a role. Built-in
// roles live in code (identity.roles.ts); `app_user.role` and `api_key.role` hold a role key.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    create table role (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      key text not null,
      name text not null,
      grants jsonb not null default '{}',
      field_rules jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, key)
    );

    create table team (
      tenant_id uuid not null references tenant (id) on delete cascade,
      id uuid not null,
      name text not null,
      parent_id uuid,
      manager_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, parent_id) references team (tenant_id, id) on delete set null (parent_id),
      foreign key (tenant_id, manager_id) references app_user (tenant_id, id) on delete set null (manager_id)
    );

    create table team_member (
      tenant_id uuid not null,
      team_id uuid not null,
      user_id uuid not null,
      primary key (tenant_id, team_id, user_id),
      foreign key (tenant_id, team_id) references team (tenant_id, id) on delete cascade,
      foreign key (tenant_id, user_id) references app_user (tenant_id, id) on delete cascade
    );
    create index team_member_user on team_member (tenant_id, user_id);

    alter table api_key add column role text;
    create index contact_owner on contact (tenant_id, owner_id);
    create index company_owner on company (tenant_id, owner_id);
  `).execute(db);
  for (const table of ['role', 'team', 'team_member']) {
    await sql.raw(`
      alter table ${table} enable row level security;
      alter table ${table} force row level security;
      create policy ${table}_tenant_isolation on ${table}
        using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());
    `).execute(db);
  }
}

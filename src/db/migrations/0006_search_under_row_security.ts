// Row-level security lets the planner use an index for a condition only when the condition's
// function is LEAKPROOF; ILIKE and LIKE (texticlike, textlike) are not marked so, and every
// search fell back to reading all of a tenant's rows. Their only possible error concerns the
// pattern the application sends, never row data, so they are marked leakproof here. That
// takes a superuser; without one the search still works, unindexed (docs/install.md).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`
    do $$ begin
      if (select rolsuper from pg_roles where rolname = current_user) then
        alter function texticlike(text, text) leakproof;
        alter function textlike(text, text) leakproof;
      else
        raise notice 'Not a superuser: ILIKE searches cannot use trigram indexes under row-level security';
      end if;
    end $$;
  `).execute(db);
}

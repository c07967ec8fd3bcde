import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryBuilder } from './db.js';
import { isStalePreparedStatement, prepared, preparedTemplate, RowsAsSelectedPlugin, statementNameOf, type Slot } from './prepared-statements.js';

const byEmail = (tenantId: string, email: string) => queryBuilder.selectFrom('contact').select(['id', 'createdAt'])
  .where('tenantId', '=', tenantId).where('name', '<>', '(no name)').where('email', '=', email);

describe('prepared statements', () => {
  it('gives the same SQL text one statement name, and another text another', () => {
    const first = prepared(byEmail('t1', 'a@example.org'));
    const second = prepared(byEmail('t2', 'b@example.org'));
    const other = prepared(byEmail('t1', 'a@example.org').limit(1));
    expect(first.sql).toBe(second.sql);
    expect(statementNameOf(first.sql)).toBeDefined();
    expect(statementNameOf(first.sql)).toBe(statementNameOf(second.sql));
    expect(statementNameOf(other.sql)).not.toBe(statementNameOf(first.sql));
    expect(statementNameOf('select 1')).toBeUndefined();
  });

  it('runs a template with each call’s values where its slots were, keeping the constants', () => {
    const template = preparedTemplate<[string, string], unknown>((tenantId, email) => byEmail(tenantId as unknown as string, email as unknown as string), 2);
    const direct = byEmail('tenant-b', 'b@example.org').compile();
    template('tenant-a', 'a@example.org');
    const filled = template('tenant-b', 'b@example.org');
    expect(filled.sql).toBe(direct.sql);
    expect(filled.parameters).toEqual(direct.parameters);
    expect(filled.parameters).toEqual(['tenant-b', '(no name)', 'b@example.org']);
  });

  it('refuses a template whose slot never became a parameter', () => {
    const template = preparedTemplate<[string], unknown>((_tenantId: Slot) => queryBuilder.selectFrom('contact').select('id').where(sql<boolean>`true`), 1);
    expect(() => template('tenant')).toThrow(/slot/);
  });

  it('hands a template its rows as selected, and renames the columns of any other query', async () => {
    const plugin = new RowsAsSelectedPlugin();
    const template = preparedTemplate<[string, string], unknown>((tenantId, email) => byEmail(tenantId as unknown as string, email as unknown as string), 2);
    const rows = [{ id: 'a', createdAt: 'then' }, { id: 'b', createdAt: 'now' }];
    const result = { rows };
    expect(await plugin.transformResult({ queryId: template('t', 'e').queryId, result })).toBe(result);
    const other = byEmail('t', 'e').compile();
    expect((await plugin.transformResult({ queryId: other.queryId, result: { rows: [{ id: 'a', created_at: 'then' }] } })).rows).toEqual([{ id: 'a', createdAt: 'then' }]);
    // A template's column that still needs its name changed is renamed, not passed through.
    expect((await plugin.transformResult({ queryId: template('t', 'e').queryId, result: { rows: [{ id: 'a', created_at: 'then' }] } })).rows).toEqual([{ id: 'a', createdAt: 'then' }]);
  });

  it('tells a stale prepared statement from other errors', () => {
    expect(isStalePreparedStatement({ code: '0A000', message: 'cached plan must not change result type' })).toBe(true);
    expect(isStalePreparedStatement({ code: '0A000', message: 'something else' })).toBe(false);
    expect(isStalePreparedStatement(new Error('cached plan must not change result type'))).toBe(false);
  });
});

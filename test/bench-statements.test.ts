import { describe, expect, it } from 'vitest';
import { pgbenchSafeText, toPgbenchScript } from '../bench/statements.js';

describe('the bench turning captured SQL into pgbench scripts', () => {
  it('keeps pgbench from reading the colons of a to_char format or a JSON key as variables', () => {
    const text = `select '{"id":' || to_json(id)::text || ',"at":"' || to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS') || '"}' from contact where tenant_id = $1 and name <> 'it''s: \\ here'`;
    const safe = pgbenchSafeText(text);
    // pgbench takes a colon followed by a letter, digit or underscore for a variable.
    expect(safe.replace(/::text/g, '')).not.toMatch(/:[A-Za-z0-9_]/);
    expect(safe).toContain(`E'YYYY-MM-DD"T"HH24\\x3aMI\\x3aSS'`);
    expect(safe).toContain(`E'it''s\\x3a \\\\ here'`);
    expect(safe).toContain(`'"}'`);
    expect(toPgbenchScript([{ text, values: ['00000000-0000-0000-0000-000000000001'] }], 'query')).toContain(`tenant_id = E'00000000-0000-0000-0000-000000000001'`);
  });
});

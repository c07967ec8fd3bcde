// Keyset pagination: a page ends with a cursor holding the last row's sort value and id, and
// the next page starts strictly after it. Any depth costs one index range scan, unlike OFFSET.
import { sql, type RawBuilder } from 'kysely';
import { FieldError } from './errors.js';

export interface SortColumn {
  expression: RawBuilder<unknown>;
  type: 'text' | 'timestamptz' | 'numeric';
}

export interface KeysetSort {
  column: SortColumn;
  descending: boolean;
}

export function parseSort<Field extends string>(sort: string, columns: Record<Field, SortColumn>): KeysetSort {
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as Field;
  const column = columns[field];
  if (!column) throw new FieldError('list.sort_invalid', 'sort', `Cannot sort by ${field}`);
  return { column, descending };
}

/**
 * The sort value as a cursor carries it: a timestamp as PostgreSQL's text, to the microsecond.
 * A Date holds milliseconds, and the rows one transaction writes with now() (an import, a
 * merge) share an instant below the millisecond: a millisecond cursor sorts before all of
 * them, and the next page would start with the same rows again.
 */
export function cursorValue(column: SortColumn): RawBuilder<unknown> {
  return column.type === 'timestamptz' ? sql`${column.expression}::text` : column.expression;
}

export function encodeCursor(value: unknown, id: string): string {
  const sortValue = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[0] === 'string' && typeof decoded[1] === 'string'
      && /^[0-9a-f-]{36}$/i.test(decoded[1])) {
      return [decoded[0], decoded[1]];
    }
  } catch {
    // Fall through to the error below.
  }
  throw new FieldError('list.cursor_invalid', 'cursor', 'This cursor was not made by this list; start again without it');
}

/** `(sort value, id) > (cursor value, cursor id)`, or `<` when descending. */
export function afterCursor(sort: KeysetSort, idColumn: RawBuilder<unknown>, cursor: string): RawBuilder<boolean> {
  const [value, id] = decodeCursor(cursor);
  const typedValue = sort.column.type === 'timestamptz' ? sql`${value}::timestamptz`
    : sort.column.type === 'numeric' ? sql`${numericCursorValue(value)}::numeric` : sql`${value}::text`;
  return sql<boolean>`(${sort.column.expression}, ${idColumn}) ${sql.raw(sort.descending ? '<' : '>')} (${typedValue}, ${id}::uuid)`;
}

/** A numeric cursor value as text PostgreSQL reads as numeric; anything else is a forged cursor. */
function numericCursorValue(value: string): string {
  if (/^(-?Infinity|-?\d+(\.\d+)?(e[+-]?\d+)?)$/i.test(value)) return value;
  throw new FieldError('list.cursor_invalid', 'cursor', 'This cursor was not made by this list; start again without it');
}

/** `%text%` for ILIKE, with the user's own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export const maxCount = 10_000;

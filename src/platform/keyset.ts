// Keyset pagination: a page ends with a cursor holding the last row's sort value and id, and
// the next page starts strictly after it. Any depth costs one index range scan, unlike OFFSET.
import { sql, type RawBuilder } from 'kysely';
import { FieldError } from './errors.js';
import { uuidPattern } from './uuid.js';

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
      && uuidPattern.test(decoded[1])) {
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
  return afterSortValue(sort, idColumn, checkedCursorValue(sort, value), id);
}

/**
 * The cursor's value if PostgreSQL can read it as the sort column's type. A cursor of another
 * sort (a name where a time belongs) or a forged one would otherwise fail the cast: a 500.
 */
export function checkedCursorValue(sort: KeysetSort, value: string): string {
  if (sort.column.type === 'numeric') return numericCursorValue(value);
  if (sort.column.type === 'timestamptz') return timestampCursorValue(value);
  return value;
}

/**
 * The same condition from a decoded cursor's value and id, which may be slots of a prepared
 * template (prepared-statements.ts): a numeric value must have been checked already.
 */
export function afterSortValue(sort: KeysetSort, idColumn: RawBuilder<unknown>, value: unknown, id: unknown): RawBuilder<boolean> {
  const typedValue = sort.column.type === 'timestamptz' ? sql`${value}::timestamptz` : sort.column.type === 'numeric' ? sql`${value}::numeric` : sql`${value}::text`;
  return sql<boolean>`(${sort.column.expression}, ${idColumn}) ${sql.raw(sort.descending ? '<' : '>')} (${typedValue}, ${id}::uuid)`;
}

/** A timestamp as PostgreSQL writes it (`2024-01-01 00:05:16.019+00`) or as ISO text, and a real date and time. */
function timestampCursorValue(value: string): string {
  const match = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d{1,6})?(Z|[+-]\d\d(:?\d\d)?)$/.exec(value);
  if (match) {
    const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60) return value;
  }
  throw new FieldError('list.cursor_invalid', 'cursor', 'This cursor was not made by this list; start again without it');
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

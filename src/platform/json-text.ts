// Records as JSON text built by PostgreSQL, for list pages. A page read as rows costs the server
// its rows: pg parses every column of every row, timestamps become Dates and then ISO text again,
// custom fields are parsed from JSON and written back, and the serializer walks each object. A
// page whose records PostgreSQL writes as JSON text is passed through: the server joins the texts.
// The text is what fast-json-stringify writes for the same record (compact, keys in the schema's
// order), except inside custom fields, which keep jsonb's text: its spacing, and numbers with the
// digits PostgreSQL stored.
import { sql, type Expression, type RawBuilder } from 'kysely';
import { mayHoldCiphertext } from './encryption/field-cipher.js';
import { encodeCursor } from './keyset.js';

/** How a field's SQL expression becomes JSON text. */
export type JsonField =
  /** Any value: to_json's text (strings escaped as JSON.stringify escapes them), `null` for NULL. */
  | { key: string; value: Expression<unknown> | RawBuilder<unknown> }
  /** A uuid: its text needs no escaping, so it is quoted, not put through to_json (~0.2 µs more a value: ~33 µs of a 51-row page's ~450). */
  | { key: string; uuid: Expression<unknown> | RawBuilder<unknown> }
  /** An expression that is JSON text already (jsonb::text, array_to_json); never NULL. */
  | { key: string; json: Expression<unknown> | RawBuilder<unknown> }
  /** A timestamptz as toISOString writes it: UTC, milliseconds (the microseconds cut, as pg's parser cuts them). */
  | { key: string; timestamp: Expression<unknown> | RawBuilder<unknown> };

const keyPattern = /^[A-Za-z][A-Za-z0-9]*$/;

function fieldText(field: JsonField): RawBuilder<string> {
  if ('json' in field) return sql<string>`${field.json}`;
  if ('uuid' in field) return sql<string>`coalesce('"' || ${field.uuid}::text || '"', 'null')`;
  if ('timestamp' in field) {
    return sql<string>`coalesce('"' || to_char(${field.timestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')`;
  }
  return sql<string>`coalesce(to_json(${field.value})::text, 'null')`;
}

/** One JSON object's text, its keys in the order given. */
export function jsonObjectText(fields: readonly JsonField[]): RawBuilder<string> {
  const parts = fields.map((field, index) => {
    if (!keyPattern.test(field.key)) throw new Error(`A JSON key here is a plain identifier, got "${field.key}"`);
    return sql`${sql.lit(`${index === 0 ? '{' : ','}"${field.key}":`)} || ${fieldText(field)}`;
  });
  return sql<string>`(${sql.join(parts, sql` || `)} || '}')`;
}

/** A keyset page of records, each as its JSON text. */
export interface JsonPage { items: string[]; nextCursor: string | null }

/** A list page's row as its query returns it: the record's id, its cursor value, and its JSON text when the same query read it. */
export interface JsonPageRow { id: string; sortValue: unknown; json?: string }

/**
 * The page from its rows (up to limit + 1: one more tells that another page follows), the texts
 * in the rows' order. `texts` supplies them when they were read apart, by id; a record it lacks
 * (deleted in between) is left out, and the cursor still follows the page's last row.
 */
export function jsonPageOf(rows: readonly JsonPageRow[], limit: number, texts?: ReadonlyMap<string, string>): JsonPage {
  const items: string[] = [];
  for (let index = 0; index < rows.length && index < limit; index++) {
    const json = texts ? texts.get(rows[index].id) : rows[index].json;
    if (json !== undefined) items.push(json);
  }
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor(last.sortValue, last.id) : null };
}

/** What a page's records become for one reader: `isMasked` when a field is hidden from them; `recordOf` a record parsed, opened and masked. */
export interface PageReader<Item> {
  isMasked: boolean;
  recordOf(json: string): Promise<Item>;
}

/** The page with its records as objects (an export's rows). */
export async function pageItems<Item>(page: JsonPage, reader: PageReader<Item>): Promise<{ items: Item[]; nextCursor: string | null }> {
  return { items: await Promise.all(page.items.map((json) => reader.recordOf(json))), nextCursor: page.nextCursor };
}

/**
 * Texts joined by commas between `head` and `tail`, as UTF-8 bytes, written straight into one
 * buffer of their exact size. A page's answer as one string cost the server its join, a copy
 * of a two-byte string (one CJK name makes the whole page two-byte), Fastify's byte count and
 * the socket's encoding of it: ~45 µs for a 51-row page, where this takes ~17 (a third of
 * what is left is counting the bytes, which a buffer of three times the characters would
 * skip at three times the memory).
 */
export function utf8Joined(head: string, texts: readonly string[], tail: string): Buffer {
  let bytes = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(texts.length - 1, 0);
  for (const text of texts) bytes += Buffer.byteLength(text);
  const buffer = Buffer.allocUnsafe(bytes);
  let at = buffer.write(head, 0);
  for (let index = 0; index < texts.length; index++) {
    if (index > 0) buffer[at++] = 0x2c; // ','
    at += buffer.write(texts[index], at);
  }
  buffer.write(tail, at);
  return buffer;
}

/**
 * A keyset page's answer, `{"items":[…],"nextCursor":…}`, as the UTF-8 bytes sent. Each
 * record's text is passed through as PostgreSQL wrote it, unless it must change: a field is
 * hidden from the reader, or the text holds a ciphertext (an encrypted phone, a sealed custom
 * field; a value that only looks like one costs a parse, nothing else). Then the reader's
 * record is written instead.
 */
export async function pageAnswer(page: JsonPage, reader: PageReader<object>): Promise<Buffer> {
  // Most pages need no change: one quick look through each text, no promise per record.
  let items = page.items;
  if (reader.isMasked || items.some(mayHoldCiphertext)) {
    items = await Promise.all(items.map(async (json) => (reader.isMasked || mayHoldCiphertext(json) ? JSON.stringify(await reader.recordOf(json)) : json)));
  }
  return utf8Joined('{"items":[', items, `],"nextCursor":${page.nextCursor === null ? 'null' : JSON.stringify(page.nextCursor)}}`);
}

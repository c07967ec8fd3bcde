import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isoString, parseTimestamptz, pgTypes } from './timestamps.js';

const pgParser = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number;

/** A deterministic stream of numbers in [0, 1) (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Text as PostgreSQL prints a timestamptz in a session whose zone is `offset`. */
function postgresText(next: () => number, offset: string): string {
  const date = new Date(Date.UTC(1000, 0, 1) + Math.floor(next() * (Date.UTC(9999, 11, 31) - Date.UTC(1000, 0, 1))));
  const micros = Math.floor(next() * 1_000_000);
  const fractionDigits = Math.floor(next() * 7);
  const fraction = fractionDigits === 0 ? '' : `.${pad(micros, 6).slice(0, fractionDigits)}`;
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}${fraction}${offset}`;
}

const time = (value: Date | number) => (value instanceof Date ? value.getTime() : value);

describe('timestamptz text to Date', () => {
  it('gives the instant pg’s own parser gives, for 20,000 timestamps with 0-6 fraction digits', () => {
    const next = random(42);
    for (let index = 0; index < 20_000; index++) {
      const text = postgresText(next, '+00');
      expect(time(parseTimestamptz(text)), text).toBe(time(pgParser(text)));
    }
  });

  it('hands other zones, BC, infinity and early years to pg’s parser', () => {
    for (const text of ['2026-03-04 05:06:07.123+05:30', '2026-03-04 05:06:07-08', '0044-03-15 12:00:00+00 BC', 'infinity', '-infinity', '0099-01-01 00:00:00+00', '0999-12-31 23:59:59.999+00']) {
      expect(time(parseTimestamptz(text)), text).toEqual(time(pgParser(text)));
    }
    expect(time(parseTimestamptz('2026-03-04 05:06:07.123+05:30'))).toBe(Date.UTC(2026, 2, 3, 23, 36, 7, 123));
  });

  it('is what the pools use for timestamptz text, and pg’s parser for everything else', () => {
    expect(pgTypes.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    expect(pgTypes.getTypeParser(1184)).toBe(parseTimestamptz);
    expect(pgTypes.getTypeParser(20, 'text')).toBe(pg.types.getTypeParser(20, 'text'));
    expect(pgTypes.getTypeParser(1114, 'text')).toBe(pg.types.getTypeParser(1114, 'text'));
  });
});

describe('Date to ISO text', () => {
  it('writes what toISOString writes, for 50,000 instants from 1970 to 9999 and the edges', () => {
    const next = random(7);
    const edges = [0, 1, 999, 1000, 951_782_400_000 /* 2000-02-29 */, 253_402_300_799_999, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 1, 28)];
    const instants = [...edges, ...Array.from({ length: 50_000 }, () => Math.floor(next() * 253_402_300_800_000))];
    for (const instant of instants) expect(isoString(new Date(instant)), String(instant)).toBe(new Date(instant).toISOString());
  });

  it('leaves years before 1970 and after 9999 to toISOString', () => {
    for (const instant of [-1, Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(1, 0, 1), 253_402_300_800_000, 8.64e15]) {
      expect(isoString(new Date(instant))).toBe(new Date(instant).toISOString());
    }
  });
});

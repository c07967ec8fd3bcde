// Timestamps between PostgreSQL's text and the API's ISO 8601, quickly. A list page turns 100
// of them from text into Dates (pg's parser) and back into text (toISOString): ~0.8 µs each,
// 7 % of the page's server CPU. The common shapes take a fast path; anything else (another
// time zone, BC, infinity, years past 9999) goes through pg's own parser or toISOString.
import pg from 'pg';

const timestamptzOid = 1184;
const defaultParser = pg.types.getTypeParser(timestamptzOid, 'text') as (text: string) => Date | number;
/** What a UTC session prints: `2026-03-04 05:06:07.123456+00`, the fraction optional. */
const utcText = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?\+00$/;

function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

/** A timestamptz as PostgreSQL prints it, as a Date (milliseconds: the microseconds are cut, as pg does). */
export function parseTimestamptz(text: string): Date | number {
  // Years below 1000 too: Date.UTC reads 0-99 as 1900-1999.
  if (text.charCodeAt(0) === 48 || !utcText.test(text)) return defaultParser(text);
  const fractionEnd = text.length - 3;
  const milliseconds = fractionEnd > 20 ? digits(`${text.slice(20, Math.min(fractionEnd, 23))}00`, 0, 3) : 0;
  return new Date(Date.UTC(digits(text, 0, 4), digits(text, 5, 7) - 1, digits(text, 8, 10), digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19), milliseconds));
}

/** node-pg type parsers with parseTimestamptz for timestamptz text, pg's own for the rest. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === timestamptzOid && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const twoDigits = (value: number) => (value < 10 ? `0${value}` : `${value}`);

/** date.toISOString(), by arithmetic for years 1970-9999 (the builtin for any other). */
export function isoString(date: Date): string {
  const time = date.getTime();
  if (!(time >= 0 && time < 253_402_300_800_000)) return date.toISOString();
  // Days to a civil date: Howard Hinnant's days_from_civil, inverted (public domain).
  const days = Math.floor(time / 86_400_000);
  let rest = time - days * 86_400_000;
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const milliseconds = rest - seconds * 1000;
  return `${year}-${twoDigits(month)}-${twoDigits(day)}T${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(seconds)}.${milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : ''}${milliseconds}Z`;
}

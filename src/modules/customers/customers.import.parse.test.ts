import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { defaultMaxRecordSize, detectDelimiter, ImportFileError, readCsvRecords, type ReadOptions } from './customers.import.parse.js';

async function readAll(input: Readable | string | Buffer, options: ReadOptions = {}) {
  const stream = input instanceof Readable ? input : Readable.from([Buffer.from(input)]);
  const records: string[][] = [];
  for await (const record of readCsvRecords(stream, options)) records.push(record.values);
  return records;
}

async function failure(input: Readable | string | Buffer, options: ReadOptions = {}): Promise<ImportFileError> {
  try {
    await readAll(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error('expected the file to be refused');
}

/** One line of `size` characters, produced in 1 MB chunks (never built whole). */
function longLine(size: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let sent = 0;
  return new Readable({
    read() {
      if (sent === 0) this.push('name\n');
      if (sent >= size) return this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

describe('reading an import file', () => {
  it('drops a byte-order mark and reads quoted fields with separators, quotes and line breaks', async () => {
    const records = await readAll('\uFEFFname,note\n"Lovelace, Ada","said ""hi""\nand left"\n');
    expect(records).toEqual([['name', 'note'], ['Lovelace, Ada', 'said "hi"\nand left']]);
  });

  it('detects semicolon and tab separators from the header line', async () => {
    expect(detectDelimiter('Name;E-mail;Phone')).toBe(';');
    expect(detectDelimiter('Name\tEmail')).toBe('\t');
    expect(detectDelimiter('"Last; First",Email')).toBe(',');
    expect(await readAll('name;email\nAda;ada@x.io\n', { delimiter: ';' })).toEqual([['name', 'email'], ['Ada', 'ada@x.io']]);
  });

  it('passes ragged rows on with their own field count, for the caller to reject', async () => {
    expect(await readAll('a,b,c\n1,2\n1,2,3,4\n')).toEqual([['a', 'b', 'c'], ['1', '2'], ['1', '2', '3', '4']]);
  });

  it('refuses a file that is not UTF-8, naming the encodings it can read instead', async () => {
    const error = await failure(iconv.encode('姓名\n王芳\n', 'gb18030'));
    expect(error.code).toBe('import.invalid_encoding');
    expect(error.message).toMatch(/not valid UTF-8.*latin1 or gb18030/);
  });

  it('reads GB18030 and Latin-1 files when told', async () => {
    expect(await readAll(iconv.encode('姓名\n王芳\n', 'gb18030'), { encoding: 'gb18030' })).toEqual([['姓名'], ['王芳']]);
    expect(await readAll(iconv.encode('name\nJosé Müller\n', 'latin1'), { encoding: 'latin1' })).toEqual([['name'], ['José Müller']]);
  });

  it('refuses a 20 MB line at the record size limit instead of holding it', async () => {
    const error = await failure(longLine(20 * 1024 * 1024), { maxRecordSize: 1024 * 1024 });
    expect(error.code).toBe('import.record_too_large');
    expect(error.message).toContain('longer than 1048576 characters');
  });

  it('protects with the default limit too: a line past it is refused, one under it is read', async () => {
    expect((await failure(longLine(defaultMaxRecordSize + 1024 * 1024))).code).toBe('import.record_too_large');
    const fits = 'x'.repeat(defaultMaxRecordSize - 10);
    expect((await readAll(`name\n${fits}\n`))[1][0]).toHaveLength(fits.length);
  });

  it('refuses an unclosed quote as malformed CSV, with the line', async () => {
    const error = await failure('name,email\n"Ada,ada@x.io\n');
    expect(error.code).toBe('import.malformed_csv');
  });
});

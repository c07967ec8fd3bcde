// Reading an import file as a stream of records: never the whole file in memory. Handles a
// byte-order mark, `;` or tab separators (detected from the header line), quoted fields,
// ragged rows (passed on with their field count, for the caller to reject), files that are
// not valid UTF-8 (refused, unless an encoding is named: latin1 or gb18030 via iconv-lite)
// and records longer than the size limit (refused before they can fill memory).
import fs from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.js';
import { merged } from '../../platform/objects.js';

export const importEncodings = ['utf-8', 'latin1', 'gb18030'] as const;
export type ImportEncoding = (typeof importEncodings)[number];

/** A record longer than this (bytes of text) is refused: a 2 GB line fails fast, not out of memory. */
export const defaultMaxRecordSize = 1024 * 1024;

export interface CsvRecord {
  /** The row as a spreadsheet numbers it: the header is row 1, the first record row 2. */
  rowNumber: number;
  values: string[];
  /** Bytes of the file read when this record was parsed, for progress. */
  bytesRead: number;
}

export interface ReadOptions {
  encoding?: ImportEncoding;
  delimiter?: string;
  maxRecordSize?: number;
}

/** A problem with the file as a whole: nothing from it is written. */
export class ImportFileError extends AppError {
  constructor(code: string, message: string) {
    super(400, code, message, [{ field: 'file', message }]);
  }
}

/** Decodes strict UTF-8: the first invalid byte sequence fails the stream with a clear message. */
class StrictUtf8Decoder extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    try {
      this.push(this.decoder.decode(chunk, { stream: true }));
      this.bytes += chunk.length;
      callback();
    } catch {
      callback(invalidUtf8(this.bytes));
    }
  }

  override _flush(callback: TransformCallback) {
    try {
      this.push(this.decoder.decode());
      callback();
    } catch {
      callback(invalidUtf8(this.bytes));
    }
  }
}

const invalidUtf8 = (near: number) => new ImportFileError('import.invalid_encoding',
  `The file is not valid UTF-8 (in the 64 KB after byte ${near}). Save it as UTF-8, or import it with encoding latin1 or gb18030.`);

function decoderFor(encoding: ImportEncoding): Transform {
  return encoding === 'utf-8' ? new StrictUtf8Decoder() : iconv.decodeStream(encoding) as unknown as Transform;
}

/** The separator the header line uses most: `,`, `;` or tab, ignoring quoted text. */
export function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((delimiter) => ({ delimiter, count: unquoted.split(delimiter).length - 1 }));
  counts.sort((a, b) => b.count - a.count);
  return counts[0].count > 0 ? counts[0].delimiter : ',';
}

/** The first line of the file (decoded, without a BOM), read from at most its first 64 KB. */
export async function readFirstLine(path: string, encoding: ImportEncoding = 'utf-8'): Promise<string> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = encoding === 'utf-8' ? buffer.subarray(0, bytesRead).toString('utf8') : iconv.decode(buffer.subarray(0, bytesRead), encoding);
    return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  } finally {
    await handle.close();
  }
}

function toFileError(error: unknown, maxRecordSize: number): unknown {
  if (error instanceof ImportFileError || !(error instanceof CsvError)) return error;
  const where = error.lines ? ` (near line ${error.lines})` : '';
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new ImportFileError('import.record_too_large', `A record is longer than ${maxRecordSize} characters${where}; the file is refused. Check that the separator and the quotes are right.`);
  }
  return new ImportFileError('import.malformed_csv', `The file is not valid CSV${where}: ${error.message}`);
}

/**
 * The records of a CSV stream: the header first (row 1), then each record. Empty lines are
 * skipped. A file-level problem throws ImportFileError.
 */
export async function* readCsvRecords(input: Readable, options: ReadOptions = {}): AsyncGenerator<CsvRecord> {
  const maxRecordSize = options.maxRecordSize ?? defaultMaxRecordSize;
  let bytesRead = 0;
  input.on('data', (chunk: Buffer) => {
    bytesRead += chunk.length;
  });
  const parser = parse({
    bom: true, delimiter: options.delimiter ?? ',', relax_column_count: true, skip_empty_lines: true,
    max_record_size: maxRecordSize, trim: false,
  });
  const decoder = decoderFor(options.encoding ?? 'utf-8');
  const fail = (error: Error) => parser.destroy(error);
  input.on('error', fail);
  decoder.on('error', fail);
  input.pipe(decoder).pipe(parser);
  let rowNumber = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, values, bytesRead };
    }
  } catch (error) {
    throw toFileError(error, maxRecordSize);
  } finally {
    input.destroy();
  }
}

/** readCsvRecords over a file, with the separator detected from its header line unless given. */
export async function* readCsvFile(path: string, options: ReadOptions = {}): AsyncGenerator<CsvRecord> {
  const delimiter = options.delimiter ?? detectDelimiter(await readFirstLine(path, options.encoding));
  yield* readCsvRecords(fs.createReadStream(path, { highWaterMark: 256 * 1024 }), merged(options, { delimiter }));
}

// The customers-at-scale figures that are jobs rather than request loads: a CSV import of the
// measured tenant's contacts into an empty workspace (rows/s, and the ratio to raw COPY of the
// same rows), and a duplicate scan of the measured tenant. Both go through the HTTP API as a
// user would, and wait for the job with a bounded poll.
import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { readMemory } from './processes.js';

export interface JobFigure {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  accounting?: Record<string, number>;
  peakRssMb?: number;
  error?: string;
}

/** COPY text format → a CSV with a header, for the columns an import maps by name. */
export async function writeImportCsv(copyFile: string, csvFile: string): Promise<number> {
  const unescape = (field: string) => (field === '\\N' ? '' : field.replace(/\\(.)/g, (_, char: string) => ({ t: '\t', n: '\n', r: '\r' }[char] ?? char)));
  const quote = (field: string) => (/[",\n\r]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field);
  const output = fs.createWriteStream(csvFile);
  output.write('Name,Email,Phone,Title\n');
  let rows = 0;
  // Columns as bench/database.ts loads them: tenant_id, id, name, email, phone, title, …
  for await (const line of readline.createInterface({ input: fs.createReadStream(copyFile) })) {
    const fields = line.split('\t');
    if (!output.write(`${[2, 3, 4, 5].map((index) => quote(unescape(fields[index] ?? ''))).join(',')}\n`)) {
      await new Promise<void>((resolve) => output.once('drain', () => resolve()));
    }
    rows++;
  }
  await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return rows;
}

async function requestJson(url: string, init: RequestInit & { duplex?: 'half' }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

/** A new workspace through sign-up, and an API key in it: imports land there, not in the measured tenant. */
export async function createEmptyWorkspace(url: string, runToken: string): Promise<Record<string, string>> {
  const signup = await requestJson(`${url}/api/v1/signup`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workspaceName: `Import bench ${runToken}`, name: 'Bench importer', email: `importer-${runToken}@bench.example.org`, password: `bench-${runToken}-Passw0rd!x` }),
  });
  if (signup.status !== 201) throw new Error(`sign-up for the import workspace failed: ${signup.status} ${JSON.stringify(signup.body)}`);
  const cookie = signup.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
  const key = await requestJson(`${url}/api/v1/api-keys`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': String(signup.body.csrfToken) },
    body: JSON.stringify({ name: 'import bench' }),
  });
  if (key.status !== 201) throw new Error(`creating the import API key failed: ${key.status} ${JSON.stringify(key.body)}`);
  return { authorization: `Bearer ${String(key.body.secret ?? key.body.key)}` };
}

async function waitForJob(url: string, headers: Record<string, string>, serverPid: number | undefined, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let peakRssMb = 0;
  for (;;) {
    const polled = await requestJson(url, { headers });
    peakRssMb = Math.max(peakRssMb, serverPid === undefined ? 0 : readMemory(serverPid)?.rssMb ?? 0);
    const status = String(polled.body.status);
    if (['completed', 'failed'].includes(status)) return { job: polled.body, peakRssMb };
    if (Date.now() > deadline) throw new Error(`job at ${url} still ${status} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function measureImport(url: string, headers: Record<string, string>, csvFile: string, rows: number, serverPid?: number): Promise<JobFigure> {
  const startedAt = performance.now();
  const started = await requestJson(`${url}/api/v1/imports?object=contacts&mode=create&fileName=bench.csv`, {
    method: 'POST', headers: { ...headers, 'content-type': 'text/csv' },
    body: Readable.toWeb(fs.createReadStream(csvFile)) as ReadableStream, duplex: 'half',
  });
  if (started.status !== 202) throw new Error(`starting the import failed: ${started.status} ${JSON.stringify(started.body)}`);
  const { job, peakRssMb } = await waitForJob(`${url}/api/v1/imports/${String(started.body.id)}`, headers, serverPid, 3_600_000);
  const seconds = (performance.now() - startedAt) / 1000;
  const progress = job.progress as Record<string, number>;
  const accounting = { created: progress.created, updated: progress.updated, skipped: progress.skipped, rejected: progress.rejected };
  const error = job.status === 'failed' ? JSON.stringify(job.error) : undefined;
  return { rows, seconds, rowsPerSecond: rows / seconds, accounting, peakRssMb, error };
}

export async function measureDuplicateScan(url: string, headers: Record<string, string>, rows: number, serverPid?: number): Promise<JobFigure> {
  const startedAt = performance.now();
  const started = await requestJson(`${url}/api/v1/duplicates/scans`, {
    method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ object: 'contact' }),
  });
  if (started.status !== 202 && started.status !== 201) throw new Error(`starting the duplicate scan failed: ${started.status} ${JSON.stringify(started.body)}`);
  const { job, peakRssMb } = await waitForJob(`${url}/api/v1/duplicates/scans/${String(started.body.id)}`, headers, serverPid, 3_600_000);
  const seconds = (performance.now() - startedAt) / 1000;
  const { id: _id, status: _status, ...figures } = job;
  const accounting = Object.fromEntries(Object.entries(figures).filter(([, value]) => typeof value === 'number')) as Record<string, number>;
  return { rows, seconds, rowsPerSecond: rows / seconds, accounting, peakRssMb, error: job.status === 'failed' ? JSON.stringify(job) : undefined };
}

/**
 * The measured tenant's contacts as one streamed CSV download (`GET /api/v1/contacts/export`),
 * as a user's Export button gets them: rows per second, counted from the file itself (records
 * end at a newline outside quotes; the header is not a row). Bounded by `timeoutMs`.
 */
export async function measureExport(url: string, headers: Record<string, string>, serverPid?: number, timeoutMs = 1_800_000): Promise<JobFigure> {
  const startedAt = performance.now();
  let peakRssMb = 0;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, serverPid === undefined ? 0 : readMemory(serverPid)?.rssMb ?? 0);
  }, 200);
  try {
    const response = await fetch(`${url}/api/v1/contacts/export?format=csv`, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 200 || !response.body) throw new Error(`the export failed: ${response.status} ${await response.text()}`);
    let records = 0;
    let bytes = 0;
    let quoted = false;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) {
        if (byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) records++;
      }
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const rows = Math.max(0, records - 1);
    return { rows, seconds, rowsPerSecond: rows / seconds, accounting: { bytes }, peakRssMb };
  } finally {
    clearInterval(sampler);
  }
}

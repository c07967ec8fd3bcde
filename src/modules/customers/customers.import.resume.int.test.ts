// An import survives its process being killed: `rapport import` killed with SIGKILL between
// batches, then run again, ends with every row of the file accounted for exactly once.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve('bin/rapport.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-resume-'));
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', RAPPORT_DEMO_SEED: 'false', RAPPORT_DATA_DIR: dataDir };
delete env.DATABASE_URL;

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 180_000 });

/** 12,000 rows; every 50th repeats an earlier email (a duplicate), every 500th has a bad phone. */
function writeFile(): { file: string; rows: number; duplicates: number; rejected: number } {
  const lines = ['Name,Email,Phone'];
  let duplicates = 0;
  let rejected = 0;
  for (let index = 1; index <= 12_000; index++) {
    if (index % 500 === 0) {
      rejected++;
      lines.push(`Bad ${index},bad${index}@example.com,not a phone`);
    } else if (index % 50 === 0) {
      duplicates++;
      lines.push(`Again ${index},person${index - 7}@example.com,`);
    } else {
      lines.push(`Person ${index},person${index}@example.com,+1 415 555 ${String(index % 10_000).padStart(4, '0')}`);
    }
  }
  const file = path.join(dataDir, 'contacts.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, rows: 12_000, duplicates, rejected };
}

describe('an import whose process is killed', () => {
  it('resumes from its last committed batch: no row lost, none imported twice', async () => {
    expect(run(['seed', '--companies', '1', '--contacts', '0']).status).toBe(0);
    const { file, rows, duplicates, rejected } = writeFile();

    const child = spawn(process.execPath, [bin, 'import', 'contacts', file, '--batch-size', '500'], { env });
    let output = '';
    const killed = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const read = [...output.matchAll(/imported (\d+) of/g)].map((match) => Number(match[1]));
        if (read.length && Math.max(...read) >= 3000) child.kill('SIGKILL');
      });
      child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`import ended before it was killed: ${output}`))));
    });
    await killed;

    const resumed = run(['import', 'contacts', file, '--batch-size', '500']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Resumed import');
    const counts = /created (\d+), updated (\d+), skipped as duplicates (\d+), rejected (\d+)/.exec(resumed.stdout)!.slice(1).map(Number);
    expect(counts).toEqual([rows - duplicates - rejected, 0, duplicates, rejected]);

    const out = path.join(dataDir, 'contacts.json');
    expect(run(['export', 'contacts', '--format', 'json', '--out', out]).status).toBe(0);
    const contacts = JSON.parse(fs.readFileSync(out, 'utf8')) as Array<{ email: string }>;
    expect(contacts).toHaveLength(rows - duplicates - rejected);
    expect(new Set(contacts.map((contact) => contact.email)).size).toBe(contacts.length);
    const verify = run(['audit', 'verify']);
    expect(verify.stdout).toContain('chain(s) intact');
  }, 240_000);
});

// The `rapport` command as a user runs it: a real process, real flags, a real data directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve('bin/rapport.js');
const baseEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', RAPPORT_DEMO_SEED: 'false', PORT: '0' };
delete baseEnv.DATABASE_URL;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-cli-'));
let server: ChildProcess | undefined;

afterAll(() => {
  server?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string | undefined> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: 60_000 });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got: ${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; got: ${output}`));
    });
  });
}

describe('the rapport command', () => {
  it('lists its commands and their options', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['start', 'migrate', 'seed']) expect(help.stdout).toContain(command);
    const startHelp = run(['start', '--help']);
    expect(startHelp.stdout).toContain('--role <role>');
    expect(run(['seed', '--help']).stdout).toContain('--contacts <n>');
  });

  it('stops at start with a message naming a bad setting', () => {
    const result = run(['start'], { PORT: 'eighty', RAPPORT_DATA_DIR: dataDir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid setting PORT');
  });

  it('refuses at once to open a data directory another process has open, and releases it on stop', async () => {
    server = spawn(process.execPath, [bin, 'start'], { env: { ...baseEnv, RAPPORT_DATA_DIR: dataDir } });
    const banner = await waitForOutput(server, /is running at (http:\/\/\S+)/, 90_000);
    const url = /is running at (http:\/\/\S+)/.exec(banner)![1];
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    const second = run(['start'], { RAPPORT_DATA_DIR: dataDir });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('is in use by another Rapport process');

    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'rapport.lock'))).toBe(false);
    const migrate = run(['migrate'], { RAPPORT_DATA_DIR: dataDir });
    expect(migrate.stdout).toContain('The database schema is current.');
    const verify = run(['audit', 'verify'], { RAPPORT_DATA_DIR: dataDir });
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain('chain(s) intact');
  });
});

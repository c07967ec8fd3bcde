import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

const dirs: string[] = [];
const newDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('the data directory lock', () => {
  it('refuses a second opener while the first holds it, naming the holder', () => {
    const dir = newDir();
    // Another live process (our parent) holds the lock.
    fs.writeFileSync(path.join(dir, 'rapport.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`pid ${process.ppid}`));
  });

  it('takes over a lock left by a process that died', () => {
    const dir = newDir();
    fs.writeFileSync(path.join(dir, 'rapport.lock'), '2147483646');
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'rapport.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(path.join(dir, 'rapport.lock'))).toBe(false);
  });
});

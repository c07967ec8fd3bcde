// The master key's sources, on real files (hence an integration test, though no database).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { loadMasterKey } from './key-wrapper.js';

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-master-key-'));
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe('master key', () => {
  it('embedded: makes <data dir>/master.key once, readable by its owner only, and reuses it', () => {
    const config = loadConfig({ RAPPORT_DATA_DIR: path.join(directory, 'data') });
    const first = loadMasterKey(config);
    const file = path.join(directory, 'data', 'master.key');
    expect(first).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadMasterKey(config).equals(first)).toBe(true);
  });

  it('server: refuses to start without a key, naming the setting', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://rapport@db/rapport' });
    expect(() => loadMasterKey(config)).toThrow(/RAPPORT_MASTER_KEY.*required when DATABASE_URL is set/);
  });

  it('reads RAPPORT_MASTER_KEY or RAPPORT_MASTER_KEY_FILE, and names the bad one', () => {
    const key = crypto.randomBytes(32);
    expect(loadMasterKey(loadConfig({ DATABASE_URL: 'postgres://db/r', RAPPORT_MASTER_KEY: key.toString('base64') })).equals(key)).toBe(true);
    const file = path.join(directory, 'key.txt');
    fs.writeFileSync(file, `${key.toString('base64')}\n`);
    expect(loadMasterKey(loadConfig({ DATABASE_URL: 'postgres://db/r', RAPPORT_MASTER_KEY_FILE: file })).equals(key)).toBe(true);

    expect(() => loadConfig({ RAPPORT_MASTER_KEY: 'too short' })).toThrow(new ConfigError('RAPPORT_MASTER_KEY', 'expected 32 random bytes in base64 (44 characters), e.g. the output of `openssl rand -base64 32`'));
    expect(() => loadConfig({ RAPPORT_MASTER_KEY: key.toString('base64'), RAPPORT_MASTER_KEY_FILE: file })).toThrow(/not both/);
    expect(() => loadMasterKey(loadConfig({ RAPPORT_MASTER_KEY_FILE: path.join(directory, 'missing') }))).toThrow(/RAPPORT_MASTER_KEY_FILE: cannot read/);
    fs.writeFileSync(file, 'not a key');
    expect(() => loadMasterKey(loadConfig({ RAPPORT_MASTER_KEY_FILE: file }))).toThrow(/RAPPORT_MASTER_KEY_FILE: expected 32 random bytes/);
  });
});

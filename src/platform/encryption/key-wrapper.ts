// Per-tenant data keys never rest in the database in clear: a KeyWrapper wraps them under a
// master key. The local wrapper holds the master key in this process (RAPPORT_MASTER_KEY or
// a key file). A cloud KMS implements the same two calls: wrap = KMS Encrypt (AWS KMS, GCP
// Cloud KMS, Azure Key Vault wrapKey) and unwrap = KMS Decrypt, passing `context` as the
// encryption context / additional authenticated data, so a wrapped key only unwraps for the
// tenant and version it was made for; the master key then never leaves the KMS.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../../config.js';

export interface KeyContext {
  tenantId: string;
  version: number;
}

export interface KeyWrapper {
  /** Stored beside each wrapped key, so keys wrapped by another wrapper can be told apart. */
  readonly name: string;
  wrap(dataKey: Buffer, context: KeyContext): Promise<Buffer>;
  unwrap(wrappedKey: Buffer, context: KeyContext): Promise<Buffer>;
}

const nonceLength = 12;
const tagLength = 16;

const contextBytes = (context: KeyContext) => Buffer.from(`rapport data key|${context.tenantId}|${context.version}`, 'utf8');

/** AES-256-GCM under a master key held in memory: nonce (12) + tag (16) + wrapped key. */
export function createLocalKeyWrapper(masterKey: Buffer): KeyWrapper {
  if (masterKey.length !== 32) throw new Error('The master key is 32 bytes');
  return {
    name: 'local',
    async wrap(dataKey, context) {
      const nonce = crypto.randomBytes(nonceLength);
      const cipher = crypto.createCipheriv('aes-256-gcm', masterKey, nonce);
      cipher.setAAD(contextBytes(context));
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return Buffer.concat([nonce, cipher.getAuthTag(), body]);
    },
    async unwrap(wrappedKey, context) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', masterKey, wrappedKey.subarray(0, nonceLength));
      decipher.setAAD(contextBytes(context));
      decipher.setAuthTag(wrappedKey.subarray(nonceLength, nonceLength + tagLength));
      return Buffer.concat([decipher.update(wrappedKey.subarray(nonceLength + tagLength)), decipher.final()]);
    },
  };
}

/** Reads a master key written as base64 (what RAPPORT_MASTER_KEY and the key file hold). */
export function decodeMasterKey(text: string, setting: string): Buffer {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new ConfigError(setting, 'expected 32 random bytes in base64 (44 characters), e.g. the output of `openssl rand -base64 32`');
  }
  return key;
}

/**
 * The master key: RAPPORT_MASTER_KEY, or the file RAPPORT_MASTER_KEY_FILE names. Embedded
 * Rapport without either makes `<dataDir>/master.key` on first start (mode 0600) so that
 * trying it needs no setup; a server (DATABASE_URL) must be given one, since a key made on
 * one machine would be missing on the next.
 */
export function loadMasterKey(config: Pick<Config, 'masterKey' | 'masterKeyFile' | 'databaseUrl' | 'dataDir'>): Buffer {
  if (config.masterKey) return config.masterKey;
  if (config.masterKeyFile) {
    let text: string;
    try {
      text = fs.readFileSync(config.masterKeyFile, 'utf8');
    } catch (error) {
      throw new ConfigError('RAPPORT_MASTER_KEY_FILE', `cannot read ${config.masterKeyFile}: ${(error as Error).message}`);
    }
    return decodeMasterKey(text, 'RAPPORT_MASTER_KEY_FILE');
  }
  if (config.databaseUrl) {
    throw new ConfigError('RAPPORT_MASTER_KEY', 'a master key is required when DATABASE_URL is set: set RAPPORT_MASTER_KEY ' +
      '(`openssl rand -base64 32`) or RAPPORT_MASTER_KEY_FILE, the same on every process, and keep a copy apart from the backups');
  }
  const file = path.join(config.dataDir, 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: read theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return decodeMasterKey(fs.readFileSync(file, 'utf8'), 'RAPPORT_MASTER_KEY_FILE');
}

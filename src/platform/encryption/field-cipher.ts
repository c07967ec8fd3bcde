// The field ciphertext and the blind index, as pure functions over keys the caller holds.
// Ciphertext: `enc:v1:<keyVersion>:<base64(nonce 12 | tag 16 | AES-256-GCM body)>`, with the
// tenant id and the field name as associated data, so a value copied to another tenant or
// another field does not decrypt. A value without the `enc:` prefix is legacy plaintext
// (rows written before encryption, or bulk-loaded): readers pass it through and the
// encryption job rewrites it.
import crypto from 'node:crypto';

const prefix = 'enc:v1:';
const nonceLength = 12;
const tagLength = 16;

export class FieldDecryptionError extends Error {}

export function isCiphertext(value: string): boolean {
  return value.startsWith(prefix);
}

const quotedPrefix = `"${prefix}`;
const rarePart = prefix.slice(prefix.indexOf('v'));

/**
 * Whether JSON text may hold a ciphertext: a string value that starts as one does. `v1:` is
 * looked for first: V8 finds a pattern by scanning for its first character, and JSON text is
 * full of the `"` that starts the whole prefix. On a list page's 51 texts the quoted prefix
 * alone took ~14 µs; the `v1:` that most texts lack, ~1.
 */
export function mayHoldCiphertext(jsonText: string): boolean {
  return jsonText.includes(rarePart) && jsonText.includes(quotedPrefix);
}

/** The key version a ciphertext was made with, or undefined for plaintext. */
export function keyVersionOf(value: string): number | undefined {
  if (!isCiphertext(value)) return undefined;
  const version = Number(value.slice(prefix.length, value.indexOf(':', prefix.length)));
  if (!Number.isInteger(version) || version < 1) throw new FieldDecryptionError('Malformed ciphertext');
  return version;
}

const associatedData = (tenantId: string, field: string) => Buffer.from(`${tenantId}|${field}`, 'utf8');

export function encryptValue(dataKey: Buffer, keyVersion: number, tenantId: string, field: string, plaintext: string): string {
  const nonce = crypto.randomBytes(nonceLength);
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey, nonce);
  cipher.setAAD(associatedData(tenantId, field));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${prefix}${keyVersion}:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** The plaintext, or FieldDecryptionError when the value was altered or belongs elsewhere. */
export function decryptValue(dataKey: Buffer, tenantId: string, field: string, ciphertext: string): string {
  const packed = Buffer.from(ciphertext.slice(ciphertext.indexOf(':', prefix.length) + 1), 'base64');
  if (packed.length < nonceLength + tagLength) throw new FieldDecryptionError('Malformed ciphertext');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey, packed.subarray(0, nonceLength));
    decipher.setAAD(associatedData(tenantId, field));
    decipher.setAuthTag(packed.subarray(nonceLength, nonceLength + tagLength));
    return Buffer.concat([decipher.update(packed.subarray(nonceLength + tagLength)), decipher.final()]).toString('utf8');
  } catch {
    throw new FieldDecryptionError(`The ${field} value does not decrypt: altered, or not this workspace's`);
  }
}

/** The blind-index key of a data key version: derived, so it is destroyed with the data key. */
export function deriveIndexKey(dataKey: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', dataKey, Buffer.alloc(0), 'rapport blind index v1', 32));
}

/** HMAC-SHA256 of the normalised value: equal values give equal indexes, nothing else shows. */
export function blindIndex(indexKey: Buffer, field: string, normalisedValue: string): Buffer {
  return crypto.createHmac('sha256', indexKey).update(`${field}|${normalisedValue}`, 'utf8').digest();
}

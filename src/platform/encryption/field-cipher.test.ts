import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindIndex, decryptValue, deriveIndexKey, encryptValue, FieldDecryptionError, isCiphertext, keyVersionOf, mayHoldCiphertext } from './field-cipher.js';
import { createLocalKeyWrapper } from './key-wrapper.js';

const key = crypto.randomBytes(32);
const tenant = '0190f3c2-0000-7000-8000-000000000001';
const otherTenant = '0190f3c2-0000-7000-8000-000000000002';

describe('field cipher', () => {
  it('round-trips a value and names its key version', () => {
    const sealed = encryptValue(key, 3, tenant, 'contact.phone', '+442079460958');
    expect(isCiphertext(sealed)).toBe(true);
    expect(sealed).toMatch(/^enc:v1:3:/);
    expect(sealed).not.toContain('2079460958');
    expect(keyVersionOf(sealed)).toBe(3);
    expect(decryptValue(key, tenant, 'contact.phone', sealed)).toBe('+442079460958');
    expect(encryptValue(key, 3, tenant, 'contact.phone', '+442079460958')).not.toBe(sealed);
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = encryptValue(key, 1, tenant, 'contact.phone', '+442079460958');
    const packed = Buffer.from(sealed.slice('enc:v1:1:'.length), 'base64');
    packed[packed.length - 1] ^= 1;
    expect(() => decryptValue(key, tenant, 'contact.phone', `enc:v1:1:${packed.toString('base64')}`)).toThrow(FieldDecryptionError);
  });

  it('refuses a value moved to another tenant, another field, or read with another key', () => {
    const sealed = encryptValue(key, 1, tenant, 'contact.phone', '+442079460958');
    expect(() => decryptValue(key, otherTenant, 'contact.phone', sealed)).toThrow(FieldDecryptionError);
    expect(() => decryptValue(key, tenant, 'company.phone', sealed)).toThrow(FieldDecryptionError);
    expect(() => decryptValue(crypto.randomBytes(32), tenant, 'contact.phone', sealed)).toThrow(FieldDecryptionError);
  });

  it('treats a value without the prefix as plaintext', () => {
    expect(isCiphertext('+442079460958')).toBe(false);
    expect(keyVersionOf('+442079460958')).toBeUndefined();
  });

  it('finds a ciphertext string in JSON text, and only a string that starts as one', () => {
    const sealed = encryptValue(key, 1, tenant, 'phone', '+442079460958');
    expect(mayHoldCiphertext(JSON.stringify({ name: '瑞丰集团', phone: sealed }))).toBe(true);
    expect(mayHoldCiphertext(JSON.stringify({ customFields: { notes: [sealed] } }))).toBe(true);
    // The parts it looks for first, without the whole quoted prefix.
    expect(mayHoldCiphertext(JSON.stringify({ name: 'Dev v1: build', title: 'enc:v1 team', note: 'x enc:v1:abc' }))).toBe(false);
    expect(mayHoldCiphertext(JSON.stringify({ name: '瑞丰集团', phone: '+442079460958' }))).toBe(false);
  });

  it('gives equal blind indexes for equal values under one key only', () => {
    const indexKey = deriveIndexKey(key);
    const first = blindIndex(indexKey, 'contact.phone', '+442079460958');
    expect(blindIndex(indexKey, 'contact.phone', '+442079460958').equals(first)).toBe(true);
    expect(blindIndex(indexKey, 'contact.phone', '+442079460959').equals(first)).toBe(false);
    expect(blindIndex(indexKey, 'company.phone', '+442079460958').equals(first)).toBe(false);
    expect(blindIndex(deriveIndexKey(crypto.randomBytes(32)), 'contact.phone', '+442079460958').equals(first)).toBe(false);
  });
});

describe('local key wrapper', () => {
  it('unwraps a data key only for the tenant and version it was wrapped for, under the same master key', async () => {
    const wrapper = createLocalKeyWrapper(crypto.randomBytes(32));
    const dataKey = crypto.randomBytes(32);
    const wrapped = await wrapper.wrap(dataKey, { tenantId: tenant, version: 1 });
    expect((await wrapper.unwrap(wrapped, { tenantId: tenant, version: 1 })).equals(dataKey)).toBe(true);
    await expect(wrapper.unwrap(wrapped, { tenantId: otherTenant, version: 1 })).rejects.toThrow();
    await expect(wrapper.unwrap(wrapped, { tenantId: tenant, version: 2 })).rejects.toThrow();
    await expect(createLocalKeyWrapper(crypto.randomBytes(32)).unwrap(wrapped, { tenantId: tenant, version: 1 })).rejects.toThrow();
  });
});

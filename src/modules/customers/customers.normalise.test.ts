import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldError } from '../../platform/errors.js';
import { domainFrom, normaliseEmail, normalisePhone, normaliseWebsite, phoneSearchCandidates } from './customers.normalise.js';

describe('normalisation', () => {
  it('writes phones in E.164 whatever the spacing', () => {
    expect(normalisePhone('+44 20 7946 0958', 'x')).toBe('+442079460958');
    expect(normalisePhone('+1 (415) 555-0123', 'x')).toBe('+14155550123');
    expect(normalisePhone('+86 138-1234-5678', 'x')).toBe('+8613812345678');
    expect(normalisePhone('020 7946 0958', 'x', 'GB')).toBe('+442079460958');
  });

  it('refuses what is not a phone number, naming the phone field', () => {
    for (const bad of ['12', 'call me', '+999 123', '']) {
      try {
        normalisePhone(bad, 'contact.phone_invalid');
        expect.unreachable(bad);
      } catch (error) {
        expect(error).toBeInstanceOf(FieldError);
        expect((error as FieldError).details).toEqual([{ field: 'phone', message: expect.any(String) }]);
      }
    }
  });

  it('lower-cases emails', () => {
    fc.assert(fc.property(fc.emailAddress(), (email) => {
      const normalised = normaliseEmail(email.toUpperCase());
      expect(normalised).toBe(normalised.toLowerCase());
      expect(normaliseEmail(normalised)).toBe(normalised);
    }));
  });

  it('takes a company domain from the website, else from a work email', () => {
    expect(domainFrom('https://www.acme.co.uk/about', 'sales@other.com')).toBe('acme.co.uk');
    expect(domainFrom(null, 'sales@Globex.example')).toBe('globex.example');
    expect(domainFrom(null, 'someone@gmail.com')).toBeNull();
    expect(domainFrom(null, 'someone@qq.com')).toBeNull();
    expect(domainFrom(null, null)).toBeNull();
  });

  it('adds https:// to a bare website and refuses what is not one', () => {
    expect(normaliseWebsite('acme.com', 'x')).toBe('https://acme.com');
    expect(normaliseWebsite('http://acme.com/', 'x')).toBe('http://acme.com');
    expect(() => normaliseWebsite('not a website', 'x')).toThrow(FieldError);
    expect(() => normaliseWebsite('ftp://acme.com', 'x')).toThrow(FieldError);
  });

  it('reads a search text as the E.164 numbers it may mean, and nothing else as a phone', () => {
    expect(phoneSearchCandidates('+44 20 7946 0958')).toEqual(['+442079460958']);
    expect(phoneSearchCandidates('0044 20 7946 0958')).toEqual(['+442079460958']);
    expect(phoneSearchCandidates('020 7946 0958')).toContain('+442079460958');
    expect(phoneSearchCandidates('Ada')).toEqual([]);
    expect(phoneSearchCandidates('0958')).toEqual([]);
  });
});

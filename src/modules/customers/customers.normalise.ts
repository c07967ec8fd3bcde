// What duplicate detection and search match on: emails lower-cased, phones in E.164,
// company domains taken from the website or, failing that, a work email address.
import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { LRUCache } from 'lru-cache';
import { FieldError } from '../../platform/errors.js';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** E.164, or a 400 naming the field. Numbers without a leading + need a default country. */
export function normalisePhone(raw: string, code: string, defaultCountry?: CountryCode): string {
  const phone = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (!phone || !phone.isValid()) {
    throw new FieldError(code, 'phone', `"${raw}" is not a phone number we can read; write it with its country code, e.g. +44 20 7946 0958`);
  }
  return phone.number;
}

const candidateCache = new LRUCache<string, string[]>({ max: 2000 });

/**
 * The E.164 numbers a search text may mean, for equality search on encrypted phones: with a
 * leading + (or 00) the one number; otherwise the digits read as international, and as a
 * national number of every country where that is a valid number ("020 7946 0958" is
 * +442079460958 in the UK, and a few others elsewhere). Trying every country costs ~20 ms,
 * so answers are cached. Text with letters or fewer than 6 digits is not a phone.
 */
export function phoneSearchCandidates(query: string): string[] {
  const text = query.trim();
  const digits = text.replace(/\D/g, '');
  if (!/^[+\d\s().\-/]+$/.test(text) || digits.length < 6 || digits.length > 17) return [];
  const cached = candidateCache.get(text);
  if (cached) return cached;
  const found = new Set<string>();
  const add = (raw: string, country?: CountryCode) => {
    const phone = parsePhoneNumberFromString(raw, country);
    if (phone?.isValid()) found.add(phone.number);
  };
  if (text.startsWith('+')) add(text);
  else if (digits.startsWith('00')) add(`+${digits.slice(2)}`);
  else {
    add(`+${digits}`);
    for (const country of getCountries()) add(text, country);
  }
  const candidates = [...found];
  candidateCache.set(text, candidates);
  return candidates;
}

// Addresses at these providers say nothing about the company a person works for.
const personalMailDomains = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'icloud.com',
  'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.ru', 'yandex.ru',
  'qq.com', '163.com', '126.com', 'sina.com', 'foxmail.com', 'yeah.net',
]);

/** A website as an absolute URL (https:// is assumed), or a 400 naming the field. */
export function normaliseWebsite(raw: string, code: string): string {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new FieldError(code, 'website', `"${raw}" is not a website address`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || !url.hostname.includes('.')) {
    throw new FieldError(code, 'website', `"${raw}" is not a website address`);
  }
  return url.href.replace(/\/$/, '');
}

export function domainFrom(website: string | null | undefined, email: string | null | undefined): string | null {
  if (website) {
    try {
      return new URL(website).hostname.toLowerCase().replace(/^www\./, '');
    } catch {
      // Not a URL: fall through to the email.
    }
  }
  const emailDomain = email?.split('@')[1]?.toLowerCase();
  return emailDomain && !personalMailDomains.has(emailDomain) ? emailDomain : null;
}

// One custom field value checked against its definition and brought to the stored form:
// trimmed text, lower-cased email, E.164 phone, ISO dates, money as integer minor units with
// an ISO 4217 currency. Pure: the reference check, which needs the database, is the service's.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { uuidPattern } from '../../platform/uuid.js';

export const customFieldTypes = [
  'text', 'long_text', 'number', 'money', 'date', 'date_time', 'boolean',
  'single_select', 'multi_select', 'url', 'email', 'phone', 'reference',
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

export interface CustomFieldDefinition {
  id: string;
  object: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  referenceObject: string | null;
  required: boolean;
  sensitive: boolean;
  position: number;
}

export interface Money {
  amount: number;
  currency: string;
}

/** Thrown for a value that does not fit; the service names the field. */
export class InvalidValue extends Error {}

const currencies = new Set(Intl.supportedValuesOf('currency'));
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function text(value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidValue('must be text');
  const trimmed = value.trim();
  if (trimmed.length > maxLength) throw new InvalidValue(`must be at most ${maxLength} characters`);
  return trimmed;
}

function isValidDate(value: string): boolean {
  const match = datePattern.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

function money(value: unknown): Money {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidValue('must be { amount, currency }');
  const { amount, currency, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length) throw new InvalidValue(`has unknown property ${Object.keys(rest)[0]}`);
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) throw new InvalidValue('amount must be an integer number of minor units (cents)');
  if (typeof currency !== 'string' || !currencies.has(currency.toUpperCase())) throw new InvalidValue('currency must be an ISO 4217 code such as EUR');
  return { amount, currency: currency.toUpperCase() };
}

function selectOption(definition: CustomFieldDefinition, value: unknown): string {
  if (typeof value !== 'string' || !definition.options.includes(value)) {
    throw new InvalidValue(`must be one of: ${definition.options.join(', ')}`);
  }
  return value;
}

function url(value: unknown): string {
  const raw = text(value, 2000);
  try {
    const parsed = new URL(raw);
    if (['http:', 'https:'].includes(parsed.protocol) && parsed.hostname.includes('.')) return parsed.href;
  } catch {
    // Reported below.
  }
  throw new InvalidValue('must be an http or https address');
}

/** The stored form of a non-null value, or InvalidValue saying what is wrong with it. */
export function normaliseCustomValue(definition: CustomFieldDefinition, value: unknown): unknown {
  switch (definition.type) {
    case 'text': return text(value, 1000);
    case 'long_text': return text(value, 20_000);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidValue('must be a number');
      return value;
    case 'money': return money(value);
    case 'date':
      if (typeof value !== 'string' || !isValidDate(value)) throw new InvalidValue('must be a date written YYYY-MM-DD');
      return value;
    case 'date_time': {
      // An offset is required: a time without one means a different instant to each reader.
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
        throw new InvalidValue('must be an ISO 8601 date-time with a time zone offset');
      }
      return new Date(value).toISOString();
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new InvalidValue('must be true or false');
      return value;
    case 'single_select': return selectOption(definition, value);
    case 'multi_select':
      if (!Array.isArray(value)) throw new InvalidValue('must be a list of options');
      return [...new Set(value.map((option) => selectOption(definition, option)))];
    case 'url': return url(value);
    case 'email': {
      const email = text(value, 254).toLowerCase();
      if (!emailPattern.test(email)) throw new InvalidValue('must be an email address');
      return email;
    }
    case 'phone': {
      const phone = parsePhoneNumberFromString(text(value, 40));
      if (!phone || !phone.isValid()) throw new InvalidValue('must be a phone number with its country code, e.g. +44 20 7946 0958');
      return phone.number;
    }
    case 'reference':
      if (typeof value !== 'string' || !uuidPattern.test(value)) throw new InvalidValue(`must be the id of a ${definition.referenceObject}`);
      return value.toLowerCase();
  }
}

/** Empty text and empty lists mean "no value", stored as absent. */
export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

// Which file column goes to which field: suggested from the header names (English and
// Chinese), checked before anything is read, and applied to each row to give the values
// an import writes, or the reason the row is rejected.
import { FieldError } from '../../platform/errors.js';
import { normaliseEmail, normalisePhone, normaliseWebsite } from './customers.normalise.js';
import { uuidPattern } from '../../platform/uuid.js';

export type ImportObject = 'contact' | 'company';
export type ImportMode = 'create' | 'upsert_email' | 'upsert_external_id';
/** Column header → field name (or a custom field as `customFields.<key>`); unmapped columns are ignored. */
export type Mapping = Record<string, string>;

export const importFields: Record<ImportObject, readonly string[]> = {
  contact: ['name', 'email', 'phone', 'title', 'companyName', 'ownerId', 'externalId'],
  company: ['name', 'website', 'email', 'phone', 'industry', 'city', 'country', 'ownerId', 'externalId'],
};

// Header names (lower-cased, without spaces, dashes, dots and underscores) each field answers to.
const synonyms: Record<string, string[]> = {
  name: ['name', 'fullname', 'contactname', 'contact', 'company:company', 'companyname:company', 'organisation:company', 'organization:company', '姓名', '名字', '联系人', '名称:company', '公司名称:company', '公司:company'],
  email: ['email', 'emailaddress', 'mail', '邮箱', '电子邮件', '电子邮箱', '邮件'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'cell', '电话', '手机', '手机号', '手机号码', '联系电话'],
  title: ['title', 'jobtitle', 'position', 'role', '职位', '职务', '头衔'],
  companyName: ['company', 'companyname', 'organisation', 'organization', 'account', '公司', '公司名称', '单位'],
  website: ['website', 'web', 'url', 'homepage', 'site', '网站', '网址', '主页'],
  industry: ['industry', 'sector', '行业'],
  city: ['city', 'town', '城市'],
  country: ['country', '国家', '国家地区'],
  externalId: ['externalid', 'id', 'recordid', 'sourceid', '编号', '外部编号'],
  ownerId: ['ownerid', '负责人id'],
};

const normaliseHeader = (header: string) => header.trim().toLowerCase().replace(/[\s\-_.]/g, '');

/** The field each header most likely means, each field used at most once. */
export function suggestMapping(object: ImportObject, headers: string[], customFieldKeys: string[] = []): Mapping {
  const mapping: Mapping = {};
  const used = new Set<string>();
  for (const header of headers) {
    const key = normaliseHeader(header);
    const custom = customFieldKeys.find((candidate) => normaliseHeader(candidate) === key);
    const field = custom ? `customFields.${custom}` : importFields[object].find((candidate) => (synonyms[candidate] ?? []).some((synonym) => {
      const [word, only] = synonym.split(':');
      return word === key && (!only || only === object);
    }));
    if (field && !used.has(field)) {
      mapping[header] = field;
      used.add(field);
    }
  }
  return mapping;
}

/** Refuses a mapping naming an unknown field or column, or missing what the mode needs (400 naming it). */
export function assertMappingValid(object: ImportObject, mode: ImportMode, headers: string[], mapping: Mapping, customFieldKeys: string[] = []) {
  const fields = new Set<string>();
  for (const [column, field] of Object.entries(mapping)) {
    if (!headers.includes(column)) throw new FieldError('import.unknown_column', `mapping.${column}`, `The file has no column "${column}"; its columns are ${headers.join(', ')}`);
    const isCustom = field.startsWith('customFields.') && customFieldKeys.includes(field.slice('customFields.'.length));
    if (!importFields[object].includes(field) && !isCustom) {
      throw new FieldError('import.unknown_field', `mapping.${column}`, `Unknown field "${field}" for ${object}; known fields: ${[...importFields[object], ...customFieldKeys.map((key) => `customFields.${key}`)].join(', ')}`);
    }
    if (fields.has(field)) throw new FieldError('import.field_mapped_twice', `mapping.${column}`, `Two columns are mapped to "${field}"`);
    fields.add(field);
  }
  if (!fields.has('name')) throw new FieldError('import.name_not_mapped', 'mapping', 'Map a column to "name": every record needs one');
  if (mode === 'upsert_email' && !fields.has('email')) throw new FieldError('import.email_not_mapped', 'mapping', 'Upsert by email needs a column mapped to "email"');
  if (mode === 'upsert_external_id' && !fields.has('externalId')) throw new FieldError('import.external_id_not_mapped', 'mapping', 'Upsert by external id needs a column mapped to "externalId"');
}

/** A row's values by field; undefined where the cell was blank (a blank cell never clears a value). */
export interface ImportValues {
  name?: string;
  email?: string;
  phone?: string;
  title?: string;
  companyName?: string;
  website?: string;
  industry?: string;
  city?: string;
  country?: string;
  ownerId?: string;
  externalId?: string;
  customFields?: Record<string, unknown>;
}

export interface RowRejection {
  code: string;
  field: string | null;
  message: string;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const maxLengths: Record<string, number> = { name: 200, email: 254, title: 200, companyName: 200, website: 500, industry: 100, city: 100, country: 100, externalId: 200 };

/** Column positions of each mapped field, computed once per file. */
export function compileMapping(headers: string[], mapping: Mapping): Array<{ index: number; field: string }> {
  return Object.entries(mapping).map(([column, field]) => ({ index: headers.indexOf(column), field }));
}

function normaliseValue(object: ImportObject, field: string, raw: string): string {
  if (raw.length > (maxLengths[field] ?? 1000)) throw new FieldError('validation.too_long', field, `is longer than ${maxLengths[field] ?? 1000} characters`);
  if (field === 'email') {
    const email = normaliseEmail(raw);
    if (!emailPattern.test(email)) throw new FieldError('validation.email', 'email', `"${raw}" is not an email address`);
    return email;
  }
  if (field === 'phone') return normalisePhone(raw, `${object}.phone_invalid`);
  if (field === 'website') return normaliseWebsite(raw, 'company.website_invalid');
  if (field === 'ownerId' && !uuidPattern.test(raw)) throw new FieldError('validation.uuid', 'ownerId', `"${raw}" is not a user id`);
  return raw;
}

/** The row's normalised values, or why it is rejected (ragged, missing name, a value that does not read). */
export function mapRow(object: ImportObject, headerCount: number, columns: Array<{ index: number; field: string }>, values: string[]): ImportValues | RowRejection {
  if (values.length !== headerCount) {
    return { code: 'import.ragged_row', field: null, message: `The row has ${values.length} fields; the header has ${headerCount}` };
  }
  const result: ImportValues = {};
  try {
    for (const { index, field } of columns) {
      // A quote before = + - @ is how exports defuse formulas: read the cell without it.
      const raw = values[index].trim().replace(/^'(?=[=+\-@])/, '');
      if (!raw) continue;
      if (field.startsWith('customFields.')) {
        (result.customFields ??= {})[field.slice('customFields.'.length)] = raw;
        continue;
      }
      (result as Record<string, string>)[field] = normaliseValue(object, field, raw);
    }
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    const detail = (error.details as Array<{ field: string; message: string }>)[0];
    return { code: error.code, field: detail.field, message: error.message };
  }
  if (!result.name) return { code: 'validation.required', field: 'name', message: 'The name is empty' };
  return result;
}

export const isRejection = (value: ImportValues | RowRejection): value is RowRejection => 'code' in value && 'message' in value;

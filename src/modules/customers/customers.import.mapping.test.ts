import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { assertMappingValid, compileMapping, mapRow, suggestMapping } from './customers.import.mapping.js';

function codeOf(work: () => void): string {
  try {
    work();
  } catch (error) {
    return (error as AppError).code;
  }
  return 'none';
}

describe('import mapping', () => {
  it('suggests fields from English and Chinese headers, each field once', () => {
    expect(suggestMapping('contact', ['Full Name', 'E-mail', 'Mobile', 'Job title', 'Company', 'Notes'])).toEqual({
      'Full Name': 'name', 'E-mail': 'email', Mobile: 'phone', 'Job title': 'title', Company: 'companyName',
    });
    expect(suggestMapping('contact', ['姓名', '邮箱', '电话', '公司', '手机'])).toEqual({ 姓名: 'name', 邮箱: 'email', 电话: 'phone', 公司: 'companyName' });
    expect(suggestMapping('company', ['公司名称', '网站', '行业', '城市'])).toEqual({ 公司名称: 'name', 网站: 'website', 行业: 'industry', 城市: 'city' });
    expect(suggestMapping('company', ['Company', 'Website'])).toEqual({ Company: 'name', Website: 'website' });
    expect(suggestMapping('contact', ['Name', 'vip_level'], ['vip_level'])).toEqual({ Name: 'name', vip_level: 'customFields.vip_level' });
  });

  it('refuses unknown fields and columns, a missing name, and a mode without its key', () => {
    const headers = ['Name', 'Email', 'Ref'];
    expect(codeOf(() => assertMappingValid('contact', 'create', headers, { Name: 'name', Email: 'shoeSize' }))).toBe('import.unknown_field');
    expect(codeOf(() => assertMappingValid('contact', 'create', headers, { Name: 'name', Email: 'customFields.nope' }))).toBe('import.unknown_field');
    expect(codeOf(() => assertMappingValid('contact', 'create', headers, { Nom: 'name' }))).toBe('import.unknown_column');
    expect(codeOf(() => assertMappingValid('contact', 'create', headers, { Email: 'email' }))).toBe('import.name_not_mapped');
    expect(codeOf(() => assertMappingValid('contact', 'upsert_email', headers, { Name: 'name' }))).toBe('import.email_not_mapped');
    expect(codeOf(() => assertMappingValid('contact', 'upsert_external_id', headers, { Name: 'name', Ref: 'externalId' }))).toBe('none');
    expect(codeOf(() => assertMappingValid('contact', 'create', headers, { Name: 'name', Email: 'name' }))).toBe('import.field_mapped_twice');
  });

  it('gives each row its normalised values or the reason it is rejected', () => {
    const headers = ['Name', 'Email', 'Phone'];
    const columns = compileMapping(headers, { Name: 'name', Email: 'email', Phone: 'phone' });
    expect(mapRow('contact', 3, columns, [' Ada ', 'ADA@Example.com', "'+44 20 7946 0958"])).toEqual({ name: 'Ada', email: 'ada@example.com', phone: '+442079460958' });
    expect(mapRow('contact', 3, columns, ['Ada', '', ''])).toEqual({ name: 'Ada' });
    expect(mapRow('contact', 3, columns, ['Ada', 'ada@x.io'])).toMatchObject({ code: 'import.ragged_row', field: null });
    expect(mapRow('contact', 3, columns, ['Ada', 'not-an-email', ''])).toMatchObject({ code: 'validation.email', field: 'email' });
    expect(mapRow('contact', 3, columns, ['Ada', '', 'call me'])).toMatchObject({ code: 'contact.phone_invalid', field: 'phone' });
    expect(mapRow('contact', 3, columns, ['', 'a@x.io', ''])).toMatchObject({ code: 'validation.required', field: 'name' });
  });
});

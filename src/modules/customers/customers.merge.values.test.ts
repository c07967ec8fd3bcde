import { describe, expect, it } from 'vitest';
import type { Permissions } from '../../platform/authorization/authorization.js';
import { checkFieldChoices, chooseValues, type StoredRecord } from './customers.merge.values.js';

const seeing = (hidden: string[] = []) => ({ hiddenFields: () => hidden }) as unknown as Permissions;

const contact = (id: string, values: Partial<StoredRecord>): StoredRecord => ({
  id, ownerId: 'owner', name: id, email: null, phone: null, phoneIndex: null, title: null, companyId: null, customFields: {}, ...values,
});

describe('which values a merge keeps', () => {
  it('keeps the survivor’s values and fills its empty fields from the first merged record that has one', () => {
    const survivor = contact('s', { name: 'Ada', title: null });
    const first = contact('m1', { title: 'Countess', email: 'a@example.com' });
    const second = contact('m2', { title: 'Analyst', phone: 'sealed', phoneIndex: Buffer.from('index') });
    expect(chooseValues('contact', seeing(), survivor, [first, second], {})).toEqual({
      email: 'a@example.com', title: 'Countess', phone: 'sealed', phoneIndex: Buffer.from('index'),
    });
  });

  it('takes a chosen record’s value even when it is empty', () => {
    const survivor = contact('s', { title: 'CEO' });
    const merged = contact('m', { title: null });
    expect(chooseValues('contact', seeing(), survivor, [merged], { title: 'm' })).toEqual({ title: null });
  });

  it('does not fill a field hidden from the actor', () => {
    const merged = contact('m', { email: 'hidden@example.com' });
    expect(chooseValues('contact', seeing(['email']), contact('s', {}), [merged], {})).toEqual({});
  });

  it('derives a company’s domain again from the kept website', () => {
    const survivor = { id: 's', ownerId: null, name: 'Acme', website: null, email: null, domain: null } as StoredRecord;
    const merged = { id: 'm', ownerId: null, name: 'ACME', website: 'https://www.acme.example', email: null, domain: 'acme.example' } as StoredRecord;
    expect(chooseValues('company', seeing(), survivor, [merged], {})).toEqual({ website: 'https://www.acme.example', domain: 'acme.example' });
  });

  it('merges custom fields with the survivor’s keys winning, unless chosen otherwise', () => {
    const survivor = contact('s', { customFields: { tier: 'gold' } });
    const merged = contact('m', { customFields: { tier: 'silver', region: 'north' } });
    expect(chooseValues('contact', seeing(), survivor, [merged], {}).customFields).toEqual({ tier: 'gold', region: 'north' });
    expect(chooseValues('contact', seeing(), survivor, [merged], { 'customFields.tier': 'm' }).customFields).toEqual({ tier: 'silver', region: 'north' });
  });

  it('refuses unknown fields and sources that are not part of the merge, naming fields.<field>', () => {
    expect(() => checkFieldChoices('contact', { nickname: 's' }, ['s', 'm'])).toThrow(expect.objectContaining({ code: 'merge.field_unknown', details: [expect.objectContaining({ field: 'fields.nickname' })] }));
    expect(() => checkFieldChoices('contact', { name: 'x' }, ['s', 'm'])).toThrow(expect.objectContaining({ code: 'merge.field_source_invalid' }));
    expect(() => checkFieldChoices('company', { 'customFields.tier': 'm', website: 's' }, ['s', 'm'])).not.toThrow();
  });
});

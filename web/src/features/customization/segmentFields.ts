// The fields and operators a segment filter offers, mirroring the server's list
// (src/modules/customers/customers.segments.fields.ts); the server checks them again.
import type { CustomFieldDefinition, CustomFieldObject } from '../../shared/customFields';

export type FieldKind = 'text' | 'uuid' | 'number' | 'date' | 'timestamp' | 'boolean' | 'multi' | 'tag';

export const operatorsByKind: Record<FieldKind, string[]> = {
  text: ['eq', 'neq', 'contains', 'in', 'isEmpty', 'isNotEmpty'],
  uuid: ['eq', 'neq', 'in', 'isEmpty', 'isNotEmpty'],
  number: ['eq', 'neq', 'gt', 'lt', 'between', 'in', 'isEmpty', 'isNotEmpty'],
  date: ['eq', 'neq', 'gt', 'lt', 'between', 'isEmpty', 'isNotEmpty'],
  timestamp: ['withinDays', 'notWithinDays', 'gt', 'lt', 'between'],
  boolean: ['eq', 'isEmpty', 'isNotEmpty'],
  multi: ['contains', 'in', 'isEmpty', 'isNotEmpty'],
  tag: ['has', 'hasNot'],
};

export interface SegmentField {
  value: string;
  /** A translation key, or the custom field's own label. */
  label: { key: string } | { text: string };
  kind: FieldKind;
  options?: string[];
}

const kindOfType: Record<CustomFieldDefinition['type'], FieldKind> = {
  text: 'text', long_text: 'text', url: 'text', email: 'text', phone: 'text', reference: 'text', single_select: 'text',
  number: 'number', money: 'number', date: 'date', date_time: 'date', boolean: 'boolean', multi_select: 'multi',
};

const standard: Record<CustomFieldObject, Array<[string, FieldKind]>> = {
  contact: [['name', 'text'], ['email', 'text'], ['phone', 'text'], ['title', 'text'], ['createdAt', 'timestamp'], ['updatedAt', 'timestamp'], ['lastChanged', 'timestamp']],
  company: [['name', 'text'], ['domain', 'text'], ['email', 'text'], ['phone', 'text'], ['industry', 'text'], ['city', 'text'], ['country', 'text'], ['createdAt', 'timestamp'], ['updatedAt', 'timestamp'], ['lastChanged', 'timestamp']],
};

export function segmentFields(object: CustomFieldObject, definitions: CustomFieldDefinition[]): SegmentField[] {
  const custom = (prefix: string, ofObject: CustomFieldObject, labelPrefix = '') => definitions
    // Sensitive fields are stored encrypted: a segment cannot select on them.
    .filter((definition) => definition.object === ofObject && !definition.sensitive)
    .map((definition): SegmentField => ({
      value: `${prefix}${definition.key}`, label: { text: `${labelPrefix}${definition.label}` }, kind: kindOfType[definition.type],
      options: definition.options.length ? definition.options : undefined,
    }));
  return [
    ...standard[object].map(([value, kind]): SegmentField => ({ value, label: { key: `customization.segments.fields.${value}` }, kind })),
    { value: 'tag', label: { key: 'customization.segments.fields.tag' }, kind: 'tag' },
    ...custom('custom.', object),
    ...(object === 'contact'
      ? [
        { value: 'company.name', label: { key: 'customization.segments.fields.companyName' }, kind: 'text' as const },
        { value: 'company.domain', label: { key: 'customization.segments.fields.companyDomain' }, kind: 'text' as const },
        ...custom('company.custom.', 'company', '🏢 '),
      ]
      : []),
  ];
}

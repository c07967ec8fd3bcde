// The workspace's own OpenAPI document: the generated one, with each record's `customFields`
// (marked x-rapport-custom-fields) replaced by the workspace's definitions as typed properties,
// so generated clients know them. Fields hidden from the caller's role are left out.
import type { CustomFieldDefinition } from './customers.custom-fields.values.js';

type JsonSchema = Record<string, unknown>;
const marker = 'x-rapport-custom-fields';

function valueSchema(definition: CustomFieldDefinition): JsonSchema {
  switch (definition.type) {
    case 'text': return { type: 'string', maxLength: 1000 };
    case 'long_text': return { type: 'string', maxLength: 20_000 };
    case 'number': return { type: 'number' };
    case 'money': return {
      type: 'object', required: ['amount', 'currency'], additionalProperties: false,
      properties: { amount: { type: 'integer', description: 'Minor units (cents)' }, currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217' } },
    };
    case 'date': return { type: 'string', format: 'date' };
    case 'date_time': return { type: 'string', format: 'date-time' };
    case 'boolean': return { type: 'boolean' };
    case 'single_select': return { type: 'string', enum: definition.options };
    case 'multi_select': return { type: 'array', items: { type: 'string', enum: definition.options }, uniqueItems: true };
    case 'url': return { type: 'string', format: 'uri' };
    case 'email': return { type: 'string', format: 'email' };
    case 'phone': return { type: 'string', description: 'E.164' };
    case 'reference': return { type: 'string', format: 'uuid', description: `Id of a ${definition.referenceObject}` };
  }
}

export function customFieldsSchema(definitions: CustomFieldDefinition[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const definition of definitions) {
    const schema = valueSchema(definition);
    properties[definition.key] = {
      anyOf: [schema, { type: 'null' }],
      title: definition.label,
      description: [definition.required ? 'Required when creating.' : '', definition.sensitive ? 'Sensitive.' : ''].filter(Boolean).join(' ') || undefined,
    };
  }
  return { type: 'object', additionalProperties: false, properties, description: 'Custom fields of this workspace' };
}

/** A copy of the document with every marked customFields schema expanded for its object. */
export function expandCustomFields(document: unknown, definitionsByObject: Map<string, CustomFieldDefinition[]>): unknown {
  const expand = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(expand);
    if (typeof node !== 'object' || node === null) return node;
    const object = (node as JsonSchema)[marker];
    if (typeof object === 'string') return customFieldsSchema(definitionsByObject.get(object) ?? []);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, expand(value)]));
  };
  return expand(JSON.parse(JSON.stringify(document)));
}

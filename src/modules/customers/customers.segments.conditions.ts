// A segment filter — groups of conditions, AND/OR at each of two levels — checked and turned
// into one SQL condition. Every value is a query parameter; field names are looked up in the
// object's field list, never spliced in. A problem is a 400 naming its path into the filter,
// e.g. `filter.groups[0].conditions[1].operator`.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { PermissionDeniedError } from '../../platform/authorization/authorization.js';
import { FieldError } from '../../platform/errors.js';
import { containsPattern } from '../../platform/keyset.js';
import { merged } from '../../platform/objects.js';
import { InvalidValue, normaliseCustomValue } from './customers.custom-fields.values.js';
import { operatorsByKind, type FieldKind, type FilterField } from './customers.segments.fields.js';
import { uuidPattern } from '../../platform/uuid.js';

export interface SegmentCondition {
  field: string;
  operator: string;
  value?: unknown;
}
export interface SegmentGroup {
  match: 'all' | 'any';
  conditions: SegmentCondition[];
}
export interface SegmentFilter {
  match: 'all' | 'any';
  groups: SegmentGroup[];
}

export interface CompileContext {
  object: string;
  fields: Map<string, FilterField>;
  /** Fields hidden from the actor, by object: a filter on them would reveal their values. */
  hiddenFields(object: string): string[];
  /** Alias of the record's table in the query. */
  alias: string;
}

const castOf: Record<FieldKind, string> = {
  text: 'text', uuid: 'uuid', number: 'numeric', date: 'text', timestamp: 'timestamptz', boolean: 'boolean', multi: 'text', tag: 'text',
};
const limits = { groups: 20, conditions: 50, values: 100 };

const invalid = (path: string, message: string) => new FieldError('segment.filter_invalid', path, message);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One value in the form the column stores, or a 400 at `path`. */
function checkValue(field: FilterField, operator: string, value: unknown, path: string): unknown {
  const { definition, kind } = field;
  if (value === undefined || value === null || value === '') throw invalid(path, 'needs a value');
  try {
    if (definition && !(operator === 'contains' && kind === 'text') && kind !== 'number') {
      // A multi select's single value is one of its options.
      return kind === 'multi' ? normaliseCustomValue(merged(definition, { type: 'single_select' as const }), value) : normaliseCustomValue(definition, value);
    }
  } catch (error) {
    if (error instanceof InvalidValue) throw invalid(path, error.message);
    throw error;
  }
  switch (kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, 'must be true or false');
      return value;
    case 'uuid':
      if (typeof value !== 'string' || !uuidPattern.test(value)) throw invalid(path, 'must be an id');
      return value;
    case 'timestamp':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalid(path, 'must be a date or date-time');
      return new Date(value).toISOString();
    default: {
      if (typeof value !== 'string') throw invalid(path, 'must be text');
      if (field.name === 'email' && operator !== 'contains') return value.trim().toLowerCase();
      if (field.name === 'phone' && operator !== 'contains') return parsePhoneNumberFromString(value)?.number ?? value.trim();
      return value.trim();
    }
  }
}

function typed(field: FilterField, value: unknown): RawBuilder<unknown> {
  return sql`${value}::${sql.raw(castOf[field.kind])}`;
}

function tagCondition(context: CompileContext, alias: string, name: unknown): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from record_tag rt join tag t on t.tenant_id = rt.tenant_id and t.id = rt.tag_id
    where rt.tenant_id = ${sql.ref(`${alias}.tenantId`)} and rt.object = ${context.object} and rt.record_id = ${sql.ref(`${alias}.id`)}
    and lower(t.name) = lower(${name}::text))`;
}

/** The SQL of one checked condition on the row aliased `alias`. */
function conditionSql(context: CompileContext, field: FilterField, operator: string, value: unknown, alias: string): Expression<SqlBool> {
  const read = field.read(alias);
  const custom = field.definition && field.customColumn ? { column: field.customColumn(alias), key: field.definition.key } : undefined;
  // Containment is what the GIN index on custom_fields answers; money compares amounts instead.
  const contains = (stored: unknown) => sql<SqlBool>`${sql.ref(custom!.column)} @> ${JSON.stringify({ [custom!.key]: stored })}::jsonb`;
  const useContainment = custom && field.definition!.type !== 'money';
  switch (operator) {
    case 'eq': return useContainment ? contains(value) : sql<SqlBool>`${read} = ${typed(field, value)}`;
    case 'neq': return useContainment ? sql<SqlBool>`not (${contains(value)})` : sql<SqlBool>`${read} is distinct from ${typed(field, value)}`;
    case 'contains':
      return field.kind === 'multi' ? contains([value]) : sql<SqlBool>`${read} ilike ${containsPattern(String(value))}`;
    case 'in':
      return field.kind === 'multi'
        ? sql<SqlBool>`${read} ?| ${value}::text[]`
        : sql<SqlBool>`${read} = any(${value}::${sql.raw(castOf[field.kind])}[])`;
    case 'gt': return sql<SqlBool>`${read} > ${typed(field, value)}`;
    case 'lt': return sql<SqlBool>`${read} < ${typed(field, value)}`;
    case 'between': {
      const [low, high] = value as unknown[];
      return sql<SqlBool>`${read} between ${typed(field, low)} and ${typed(field, high)}`;
    }
    case 'isEmpty':
      if (custom) return sql<SqlBool>`not (${sql.ref(custom.column)} ? ${custom.key})`;
      return field.kind === 'text' ? sql<SqlBool>`coalesce(${read}, '') = ''` : sql<SqlBool>`${read} is null`;
    case 'isNotEmpty':
      return sql<SqlBool>`not (${conditionSql(context, field, 'isEmpty', value, alias)})`;
    case 'withinDays': return sql<SqlBool>`${read} >= now() - make_interval(days => ${value}::int)`;
    case 'notWithinDays': return sql<SqlBool>`${read} < now() - make_interval(days => ${value}::int)`;
    case 'has': return tagCondition(context, alias, value);
    default: return sql<SqlBool>`not (${tagCondition(context, alias, value)})`;
  }
}

function checkOperands(field: FilterField, operator: string, value: unknown, path: string): unknown {
  if (operator === 'isEmpty' || operator === 'isNotEmpty') return undefined;
  if (operator === 'withinDays' || operator === 'notWithinDays') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 36_500) throw invalid(`${path}.value`, 'must be a number of days');
    return value;
  }
  if (operator === 'in' || operator === 'between') {
    const expected = operator === 'between' ? 2 : undefined;
    if (!Array.isArray(value) || value.length === 0 || value.length > limits.values || (expected && value.length !== expected)) {
      throw invalid(`${path}.value`, operator === 'between' ? 'must be [low, high]' : `must be a list of 1 to ${limits.values} values`);
    }
    return value.map((item, index) => checkValue(field, operator, item, `${path}.value[${index}]`));
  }
  if (field.kind === 'tag') {
    if (typeof value !== 'string' || !value.trim()) throw invalid(`${path}.value`, 'must be a tag name');
    return value.trim();
  }
  return checkValue(field, operator, value, `${path}.value`);
}

/** A sensitive custom field is stored encrypted: no SQL condition can read it. */
export function sensitiveFieldRefused(field: string, label: string): FieldError {
  return new FieldError('custom_field.sensitive', field, `${label} is encrypted, so lists and segments cannot filter or sort on it`);
}

function compileCondition(context: CompileContext, condition: unknown, path: string): Expression<SqlBool> {
  if (!isRecord(condition)) throw invalid(path, 'must be { field, operator, value }');
  const field = typeof condition.field === 'string' ? context.fields.get(condition.field) : undefined;
  if (!field) throw invalid(`${path}.field`, `Unknown field ${JSON.stringify(condition.field)}; use one of ${[...context.fields.keys()].join(', ')}`);
  const operator = condition.operator;
  const allowed = operatorsByKind[field.kind];
  if (typeof operator !== 'string' || !allowed.includes(operator)) {
    throw invalid(`${path}.operator`, `${field.name} takes one of: ${allowed.join(', ')}`);
  }
  const hidden = context.hiddenFields(field.permission.object);
  if (hidden.includes(field.permission.field) || (field.definition && hidden.includes('customFields'))) {
    throw new PermissionDeniedError('read', field.permission.object, field.permission.field);
  }
  if (field.definition?.sensitive) throw sensitiveFieldRefused(`${path}.field`, field.definition.label);
  const value = checkOperands(field, operator, condition.value, path);
  if (!field.viaCompany) return conditionSql(context, field, operator, value, context.alias);
  return sql<SqlBool>`exists (select 1 from company rc where rc.tenant_id = ${sql.ref(`${context.alias}.tenantId`)}
    and rc.id = ${sql.ref(`${context.alias}.companyId`)} and ${conditionSql(context, field, operator, value, 'rc')})`;
}

function combine(match: unknown, parts: Expression<SqlBool>[], path: string): Expression<SqlBool> {
  if (match !== 'all' && match !== 'any') throw invalid(path, 'must be "all" or "any"');
  if (parts.length === 0) return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(parts, sql.raw(match === 'all' ? ' and ' : ' or '))})`;
}

/** The filter as one SQL condition on the record; a 400 naming the path of the first problem. */
export function compileFilter(context: CompileContext, filter: unknown, path = 'filter'): Expression<SqlBool> {
  if (!isRecord(filter)) throw invalid(path, 'must be { match, groups }');
  if (!Array.isArray(filter.groups) || filter.groups.length > limits.groups) throw invalid(`${path}.groups`, `must be a list of at most ${limits.groups} groups`);
  const groups = filter.groups.map((group: unknown, groupIndex) => {
    const groupPath = `${path}.groups[${groupIndex}]`;
    if (!isRecord(group)) throw invalid(groupPath, 'must be { match, conditions }');
    if (!Array.isArray(group.conditions) || group.conditions.length === 0 || group.conditions.length > limits.conditions) {
      throw invalid(`${groupPath}.conditions`, `must be a list of 1 to ${limits.conditions} conditions`);
    }
    const conditions = group.conditions.map((condition: unknown, index) => compileCondition(context, condition, `${groupPath}.conditions[${index}]`));
    return combine(group.match, conditions, `${groupPath}.match`);
  });
  return combine(filter.match, groups, `${path}.match`);
}

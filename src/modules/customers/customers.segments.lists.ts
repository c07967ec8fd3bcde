// What contact and company lists take beyond their standard filters: `filter[custom.<key>]`,
// `filter[tag]`, `segment=<id>`, `view=<id>` and `sort=custom.<key>`. All of it becomes SQL
// conditions and keyset sort columns that the lists' repositories add to their query, under
// the actor's permission scope.
import type { Expression, SqlBool } from 'kysely';
import { PermissionDeniedError, type Permissions } from '../../platform/authorization/authorization.js';
import type { Trx } from '../../platform/db.js';
import { FieldError, NotFoundError } from '../../platform/errors.js';
import type { SortColumn } from '../../platform/keyset.js';
import { customFieldsRepository, customSortColumn } from './customers.custom-fields.repository.js';
import { isCustomFieldHidden } from './customers.custom-fields.service.js';
import type { CustomFieldDefinition } from './customers.custom-fields.values.js';
import { compileFilter, sensitiveFieldRefused, type CompileContext } from './customers.segments.conditions.js';
import { filterFields } from './customers.segments.fields.js';
import { segmentsRepository } from './customers.segments.repository.js';
import { viewsRepository } from './customers.views.repository.js';

export interface ListExtrasQuery {
  sort?: string;
  segment?: string;
  view?: string;
  'filter[tag]'?: string;
  /** A filter given in the request itself (segment preview), checked like a saved one. */
  segmentFilter?: unknown;
  [parameter: `filter[custom.${string}]`]: string | undefined;
}

export interface ListExtras {
  conditions: Expression<SqlBool>[];
  sorts: Record<string, SortColumn>;
}

const customFilterParameter = /^filter\[custom\.([a-z][a-z0-9_]*)\]$/;

/** A query-string value (always text) as the JSON value the field stores. */
function queryValue(definition: CustomFieldDefinition, text: string): unknown {
  if (definition.type === 'number' || definition.type === 'money') return text.trim() === '' ? text : Number(text);
  if (definition.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** Re-throws a filter problem under the query parameter's name, where a client looks for it. */
function underParameter<T>(parameter: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof FieldError) throw new FieldError('list.filter_invalid', parameter, error.message);
    throw error;
  }
}

export function compileContext(permissions: Permissions, object: string, definitions: CustomFieldDefinition[], alias: string): CompileContext {
  return { object, alias, fields: filterFields(object, definitions), hiddenFields: (name) => permissions.hiddenFields(name) };
}

async function savedFilter(trx: Trx, permissions: Permissions, object: string, query: ListExtrasQuery) {
  const tenantId = permissions.actor.tenantId;
  const filters: Array<{ parameter: string; filter: unknown }> = [];
  if (query.segment) {
    const segment = await segmentsRepository.find(trx, tenantId, query.segment);
    if (!segment) throw new NotFoundError('segment', query.segment);
    if (segment.object !== object) throw new FieldError('segment.object_mismatch', 'segment', `This segment selects ${segment.object} records`);
    filters.push({ parameter: 'segment', filter: segment.filter });
  }
  if (query.view) {
    const view = await viewsRepository.find(trx, tenantId, query.view);
    if (!view || (!view.shared && view.ownerId !== permissions.actor.userId)) throw new NotFoundError('view', query.view);
    if (view.object !== object) throw new FieldError('view.object_mismatch', 'view', `This view lists ${view.object} records`);
    if (view.filter) filters.push({ parameter: 'view', filter: view.filter });
  }
  if (query.segmentFilter !== undefined) filters.push({ parameter: 'filter', filter: query.segmentFilter });
  return filters;
}

/** Whether the query names anything that needs the custom field definitions to compile. */
function needsDefinitions(query: ListExtrasQuery): boolean {
  return Boolean(query.segment || query.view || query.segmentFilter !== undefined || /^-?custom\./.test(query.sort ?? '')
    || Object.keys(query).some((parameter) => customFilterParameter.test(parameter)));
}

export async function listExtras(trx: Trx, permissions: Permissions, object: string, query: ListExtrasQuery, alias: string): Promise<ListExtras> {
  const tenantId = permissions.actor.tenantId;
  // A plain list (the common case) skips the definitions query: one round trip fewer.
  const definitions = needsDefinitions(query) ? await customFieldsRepository.list(trx, tenantId) : [];
  const context = compileContext(permissions, object, definitions, alias);
  const conditions: Expression<SqlBool>[] = [];
  const single = (field: string, operator: string, value: unknown) => ({ match: 'all', groups: [{ match: 'all', conditions: [{ field, operator, value }] }] });
  for (const [parameter, text] of Object.entries(query)) {
    const key = customFilterParameter.exec(parameter)?.[1];
    if (key === undefined || typeof text !== 'string') continue;
    const definition = definitions.find((candidate) => candidate.object === object && candidate.key === key);
    if (!definition) throw new FieldError('list.filter_invalid', parameter, `${object} has no custom field ${key}`);
    if (definition.sensitive) throw sensitiveFieldRefused(parameter, definition.label);
    const operator = definition.type === 'multi_select' ? 'contains' : 'eq';
    conditions.push(underParameter(parameter, () => compileFilter(context, single(`custom.${key}`, operator, queryValue(definition, text)))));
  }
  if (query['filter[tag]']) conditions.push(underParameter('filter[tag]', () => compileFilter(context, single('tag', 'has', query['filter[tag]']))));
  for (const { parameter, filter } of await savedFilter(trx, permissions, object, query)) {
    conditions.push(parameter === 'filter' ? compileFilter(context, filter) : underParameter(parameter, () => compileFilter(context, filter)));
  }
  return { conditions, sorts: customSorts(permissions, object, definitions, query.sort, alias) };
}

function customSorts(permissions: Permissions, object: string, definitions: CustomFieldDefinition[], sort: string | undefined, alias: string) {
  const key = /^-?custom\.([a-z][a-z0-9_]*)$/.exec(sort ?? '')?.[1];
  if (key === undefined) return {};
  const definition = definitions.find((candidate) => candidate.object === object && candidate.key === key);
  if (!definition) throw new FieldError('list.sort_invalid', 'sort', `${object} has no custom field ${key}`);
  if (isCustomFieldHidden(permissions.hiddenFields(object), key)) throw new PermissionDeniedError('read', object, `customFields.${key}`);
  if (definition.sensitive) throw sensitiveFieldRefused('sort', definition.label);
  return { [`custom.${key}`]: customSortColumn(`${alias}.customFields`, definition) };
}

// An actor's scope as a SQL condition on a table's owner column: lists and searches
// only ever fetch rows the actor may see.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { OwnerFilter } from './authorization.js';

/** The scope with its shape settled: none given is everyone's, an owner list naming no one is no one's. */
export function normaliseOwnerFilter(filter: OwnerFilter | undefined): OwnerFilter {
  if (!filter) return { kind: 'all' };
  return filter.kind === 'owners' && filter.ownerIds.length === 0 ? { kind: 'none' } : filter;
}

/** The scope as text, equal for equal scopes: part of a batch key (platform/read-batches.ts). */
export function ownerScopeKey(filter: OwnerFilter | undefined): string {
  const scope = normaliseOwnerFilter(filter);
  return scope.kind === 'owners' ? scope.ownerIds.join(',') : scope.kind;
}

export function ownerCondition(ownerColumn: Expression<unknown>, filter: OwnerFilter | undefined): Expression<SqlBool> {
  const scope = normaliseOwnerFilter(filter);
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.kind === 'none') return sql<SqlBool>`false`;
  return ownerIdsCondition(ownerColumn, scope.ownerIds);
}

/** The owner column within a list of owners, the ids as one array parameter. */
export function ownerIdsCondition(ownerColumn: Expression<unknown>, ownerIds: unknown): Expression<SqlBool> {
  return sql<SqlBool>`${ownerColumn} = any(${ownerIds}::uuid[])`;
}

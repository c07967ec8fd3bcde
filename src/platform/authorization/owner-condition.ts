// An actor's scope as a SQL condition on a table's owner column: lists and searches
// only ever fetch rows the actor may see.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { OwnerFilter } from './authorization.js';

export function ownerCondition(ownerColumn: Expression<unknown>, filter: OwnerFilter | undefined): Expression<SqlBool> {
  if (!filter || filter.kind === 'all') return sql<SqlBool>`true`;
  if (filter.kind === 'none' || filter.ownerIds.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`${ownerColumn} = any(${filter.ownerIds}::uuid[])`;
}

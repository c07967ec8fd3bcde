/**
 * The fields of a PATCH: only what the user changed, so the change log records real edits
 * and a concurrent edit to another field is not overwritten with stale values.
 */
export function pickChangedFields<Values extends Record<string, unknown>>(
  before: Values,
  after: Values,
): Partial<Values> {
  const changed: Partial<Values> = {};
  for (const key of Object.keys(after) as (keyof Values)[]) {
    if (after[key] !== before[key]) changed[key] = after[key];
  }
  return changed;
}

// Custom fields, tags and saved views as the record pages use them: inputs and values by
// field type, a tag editor, and the saved view picker of lists.
export * from './customFieldsApi';
export { CustomFieldInputs } from './CustomFieldInputs';
export { CustomFieldValue } from './CustomFieldValue';
export { TagBadges, TagEditor } from './TagEditor';
export { ViewPicker, type ColumnOption } from './ViewPicker';
export { useCustomFieldDefinitions } from './useCustomFieldDefinitions';

/** The custom field values that differ between two versions of a record (for a PATCH). */
export function changedCustomFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> | undefined {
  const changed: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changed[key] = after[key] ?? null;
  }
  return Object.keys(changed).length ? changed : undefined;
}
export { ListControls, useListControls, type ListControlsState } from './ListControls';
export { RecordTable, customFieldColumns, type ColumnSpec } from './RecordTable';

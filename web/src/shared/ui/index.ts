export { ConfirmDeleteButton } from './ConfirmDeleteButton';
export { FieldList, type FieldItem } from './FieldList';
export { QueryState } from './QueryState';

// Duplicates: the review queue (scans, likely pairs, dismiss) and the merge page that puts two
// or more records side by side. Warnings and merge history on record pages live in shared/duplicates.
export { DuplicatesPage } from './DuplicatesPage';
export { MergePage } from './MergePage';

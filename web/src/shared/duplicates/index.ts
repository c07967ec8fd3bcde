// Duplicate warnings and merge history, shown on the customers pages; the review queue and the
// merge dialog are the duplicates feature's pages, reached by route.
export { DuplicateWarningAlert } from './DuplicateWarningAlert';
export { MergeHistory } from './MergeHistory';
export { mergePath, mergesApi, mergesQueryKey, type DuplicateCandidate, type DuplicateReason, type DuplicateWarnings, type Merge, type MergeableObject } from './duplicatesApi';
export { useDuplicateWarning, warningState } from './useDuplicateWarning';

export { HistoryTimeline, type HistoryValueRenderer } from './HistoryTimeline';
export { historyQueryKey } from './useHistory';

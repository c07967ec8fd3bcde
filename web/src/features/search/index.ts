// Global search: the header's search box over contacts and companies (GET /api/v1/search),
// hits grouped by type, each opening its record.
export { GlobalSearch } from './GlobalSearch';

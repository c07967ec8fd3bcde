// Customization: administrators' custom field definitions (Settings → Custom fields) and
// segments, saved filters over contacts and companies with a live count.
export { CustomFieldsPage } from './CustomFieldsPage';
export { SegmentsPage } from './SegmentsPage';

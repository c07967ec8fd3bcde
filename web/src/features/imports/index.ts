// Importing contacts and companies from CSV files: upload, check the suggested mapping,
// choose a mode (or a dry run), follow the import and download its rejected rows.
export { ImportPage } from './ImportPage';

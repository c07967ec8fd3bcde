// customers: companies and contacts — normalisation (E.164 phones, lower-cased emails,
// company domains), keyset lists and search; custom fields, tags, segments and saved views.
// Owns tables company, contact, custom_field, tag, record_tag, segment, saved_view, duplicate_scan,
// duplicate_pair, merge (global search, duplicate scans and merges: docs/search-and-duplicates.md).
// Emits (through the change log): company.created/updated/deleted/merge/merged/unmerge/restore, the same for contact.
export { createCompanyService, type CompanyService } from './companies.service.js';
export { createContactService, type ContactService } from './contacts.service.js';
export { customerRoutes } from './customers.routes.js';
export { createCustomerFactory, createRandom } from './customers.factory.js';
export { customerObjects } from './customers.objects.js';
export { createMergeHooks, type MergeContext, type MergeHook, type MergeHooks, type MergeableObject } from './customers.merge-hooks.js';
export {
  createCustomFieldService, declareCustomFieldObject, validateCustomFields, applyCustomFields, type CustomFieldService, type CustomFieldValues,
} from './customers.custom-fields.service.js';
export type { CustomFieldDefinition, CustomFieldType } from './customers.custom-fields.values.js';
export { customFieldRoutes } from './customers.custom-fields.routes.js';
export { createTagService, tagMergeHook, type TagService } from './customers.tags.service.js';
export { tagRoutes } from './customers.tags.routes.js';
export { createSegmentService, type SegmentService } from './customers.segments.service.js';
export { segmentRoutes } from './customers.segments.routes.js';
export { createViewService, type ViewService } from './customers.views.service.js';
export { viewRoutes } from './customers.views.routes.js';
export { createImportRunner, registerImportJobs, type ImportProgress, type ImportRunner } from './customers.import.job.js';
export { createImportService, type ImportService, type StartImport } from './customers.import.service.js';
export { importRoutes } from './customers.import.routes.js';
export { createSearchProviders, type SearchProvider, type SearchProviders, type SearchHit, type SearchContext } from './customers.search.providers.js';
export { createSearchService, customerSearchProviders } from './customers.search.service.js';
export { searchRoutes } from './customers.search.routes.js';
export { createDuplicateService, registerDuplicateJobs } from './customers.duplicates.service.js';
export { describeScan, runDuplicateScanCommand } from './customers.duplicates.cli.js';
export { duplicateRoutes } from './customers.duplicates.routes.js';
export { createMergeService } from './customers.merge.service.js';
export { mergeRoutes } from './customers.merge.routes.js';
export { companyContactsMergeHook } from './customers.merge.company-contacts.js';
export { createExportService, type ExportService } from './customers.export.service.js';
export { createExportJobs, type ExportJobs } from './customers.export.job.js';
export { exportRoutes } from './customers.export.routes.js';
export { CommandError, describeImport, resolveCommandActor, runImportCommand, type ImportCommandOptions } from './customers.import.cli.js';
export { runExportCommand } from './customers.export.cli.js';
export { runImportFile, type ImportBenchOptions } from './customers.import.bench.js';

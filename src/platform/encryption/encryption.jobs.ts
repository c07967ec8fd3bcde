import type { JobRunner } from '../jobs.js';
import { convertFieldsJob, type FieldEncryption } from './encryption.service.js';

export function registerEncryptionJobs(jobs: JobRunner, encryption: FieldEncryption) {
  // Rotation and setting changes: batches in their own transactions, old and new key
  // versions both readable meanwhile; safe to rerun, so a retry after a crash just resumes.
  jobs.define<{ tenantId: string }>({
    name: convertFieldsJob,
    retry: { limit: 5, delaySeconds: 10 },
    run: async ({ tenantId }) => {
      await encryption.convertTenant(tenantId);
    },
  });
}

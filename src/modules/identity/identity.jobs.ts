import type { JobRunner } from '../../platform/jobs.js';
import type { IdentityService } from './identity.service.js';

export const purgeExpiredSessionsJob = 'identity.purge-expired-sessions';

export function registerIdentityJobs(jobs: JobRunner, identity: IdentityService) {
  jobs.define({
    name: purgeExpiredSessionsJob,
    cron: '17 * * * *',
    run: async () => {
      await identity.purgeExpiredSessions();
    },
  });
}

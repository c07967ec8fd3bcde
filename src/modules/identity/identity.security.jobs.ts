// Jobs of sign-in security: mailing password-reset links (retried with backoff when the mail
// server fails) and clearing expired one-time tokens and old sign-in attempts.
import type { JobRunner } from '../../platform/jobs.js';
import { sendPasswordResetJob, type PasswordResetJobData, type PasswordService } from './identity.password-reset.js';
import type { IdentityService } from './identity.service.js';

export const purgeSignInRecordsJob = 'identity.purge-sign-in-records';

export function registerSignInSecurityJobs(jobs: JobRunner, { identity, passwords }: { identity: IdentityService; passwords: PasswordService }) {
  jobs.define<PasswordResetJobData>({
    name: sendPasswordResetJob,
    retry: { limit: 5, delaySeconds: 10 },
    run: (data) => passwords.deliverReset(data),
  });
  jobs.define({
    name: purgeSignInRecordsJob,
    cron: '23 * * * *',
    run: async () => {
      await passwords.purgeExpiredTokens();
      await identity.purgeOldSignInAttempts();
    },
  });
}

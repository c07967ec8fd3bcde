// Sign-in throttling that slows guessing without locking the real user out. Every attempt is
// recorded in sign_in_attempt (email, address, outcome); before checking a password we count
// failures in a sliding window at three levels:
// - the address+account pair: after 5 failures, each further one doubles the wait;
// - the address, across accounts (credential stuffing from one machine): after 30 failures;
// - the account, across addresses (a distributed attack): after 20 failures, but only for
//   addresses this account has not signed in from recently, so the real user still can.
// The wait runs from the last failure: 15 s, 30 s, 1 min, … capped at 15 minutes.
import { uuidv7 } from 'uuidv7';
import type { Database } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { securityRepository as repository } from './identity.security.repository.js';

export const throttleRules = {
  windowMs: 15 * 60_000,
  knownAddressMs: 30 * 86_400_000,
  pairLimit: 5,
  addressLimit: 30,
  accountLimit: 20,
  firstDelayMs: 15_000,
  maxDelayMs: 15 * 60_000,
};

export class ThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'auth.throttled', `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
  }
}

/** Seconds until the next attempt is allowed after `failures` failures (0: allowed now). */
export function secondsUntilAllowed(failures: number, limit: number, lastFailureAt: Date | null, now: Date, rules = throttleRules): number {
  if (failures < limit || !lastFailureAt) return 0;
  const delay = Math.min(rules.firstDelayMs * 2 ** Math.min(failures - limit, 30), rules.maxDelayMs);
  const remaining = lastFailureAt.getTime() + delay - now.getTime();
  return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
}

// A client without an address (a socket already closed) is still counted, under one name.
const addressOf = (ip: string | null) => ip ?? 'unknown';

export function createSignInThrottle({ database }: { database: Database }) {
  async function record(email: string, ip: string | null, succeeded: boolean) {
    await database.forAuthLookup((trx) => repository.insertSignInAttempt(trx, { id: uuidv7(), email, ip: addressOf(ip), succeeded }));
  }

  return {
    /** Throws ThrottledError when this address may not try this account yet. */
    async assertAllowed(email: string, ip: string | null): Promise<void> {
      const now = new Date();
      const counts = await database.forAuthLookup((trx) => repository.countSignInAttempts(
        trx, email, addressOf(ip), new Date(now.getTime() - throttleRules.windowMs), new Date(now.getTime() - throttleRules.knownAddressMs)));
      const wait = Math.max(
        secondsUntilAllowed(counts.pairFailures, throttleRules.pairLimit, counts.pairLastFailureAt, now),
        secondsUntilAllowed(counts.addressFailures, throttleRules.addressLimit, counts.addressLastFailureAt, now),
        counts.isKnownAddress ? 0 : secondsUntilAllowed(counts.accountFailures, throttleRules.accountLimit, counts.accountLastFailureAt, now),
      );
      if (wait > 0) throw new ThrottledError(wait);
    },
    recordFailure: (email: string, ip: string | null) => record(email, ip, false),
    recordSuccess: (email: string, ip: string | null) => record(email, ip, true),
    /** Attempts are only needed for the window and for recognising known addresses. */
    purgeOldAttempts(): Promise<number> {
      const before = new Date(Date.now() - throttleRules.knownAddressMs);
      return database.forAuthLookup((trx) => repository.deleteSignInAttemptsBefore(trx, before));
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

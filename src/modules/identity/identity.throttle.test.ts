import { describe, expect, it } from 'vitest';
import { secondsUntilAllowed, throttleRules } from './identity.throttle.js';

const now = new Date('2030-01-01T12:00:00Z');
const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('sign-in throttle delay', () => {
  it('allows attempts below the limit', () => {
    expect(secondsUntilAllowed(4, 5, secondsAgo(0), now)).toBe(0);
  });

  it('waits from the last failure, doubling with each failure past the limit', () => {
    expect(secondsUntilAllowed(5, 5, secondsAgo(0), now)).toBe(15);
    expect(secondsUntilAllowed(6, 5, secondsAgo(0), now)).toBe(30);
    expect(secondsUntilAllowed(7, 5, secondsAgo(10), now)).toBe(50);
    expect(secondsUntilAllowed(5, 5, secondsAgo(15), now)).toBe(0);
  });

  it('caps the wait', () => {
    expect(secondsUntilAllowed(500, 5, secondsAgo(0), now)).toBe(throttleRules.maxDelayMs / 1000);
  });
});

// The password rules for sign-up, reset and change (NIST SP 800-63B): long enough, not too
// long for the hash to be a cost, not one of the passwords attackers try first, and not
// something the attacker already knows about the account (its email or workspace name).
import fs from 'node:fs';
import { FieldError } from '../../platform/errors.js';

export const minPasswordLength = 10;
export const maxPasswordLength = 200;

let commonPasswords: Set<string> | undefined;

/** The shipped list (see the header of common-passwords.txt for its source), read once. */
function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const text = fs.readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    commonPasswords = new Set(text.split('\n').filter((line) => line !== '' && !line.startsWith('# ')));
  }
  return commonPasswords;
}

const normalise = (value: string) => value.normalize('NFKC').trim().toLowerCase();

export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(normalise(password));
}

export interface PasswordContext {
  email?: string;
  workspaceName?: string;
}

/** The reason a password is refused, or undefined when it is acceptable. */
export function findPasswordWeakness(password: string, context: PasswordContext = {}): string | undefined {
  const length = [...password].length;
  if (length < minPasswordLength) return `Use at least ${minPasswordLength} characters`;
  if (length > maxPasswordLength) return `Use at most ${maxPasswordLength} characters`;
  const candidate = normalise(password);
  if (context.email && candidate === normalise(context.email)) return 'The password must not be your email';
  if (context.workspaceName && candidate === normalise(context.workspaceName)) return 'The password must not be the workspace name';
  if (isCommonPassword(password)) return 'This password is too common: it is on lists attackers try first';
  return undefined;
}

export function assertPasswordAllowed(password: string, context: PasswordContext = {}): void {
  const weakness = findPasswordWeakness(password, context);
  if (weakness) throw new FieldError('auth.password_weak', 'password', weakness);
}

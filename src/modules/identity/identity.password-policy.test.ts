import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { assertPasswordAllowed, findPasswordWeakness, isCommonPassword } from './identity.password-policy.js';

describe('password policy', () => {
  it('knows the common passwords from the shipped list, whatever their case', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('PassWordPassWord')).toBe(true);
    expect(isCommonPassword('correct horse battery')).toBe(false);
  });

  it('refuses short, overlong, common passwords and the email or workspace name', () => {
    expect(findPasswordWeakness('short')).toMatch(/at least 10/);
    expect(findPasswordWeakness('x'.repeat(201))).toMatch(/at most 200/);
    expect(findPasswordWeakness('1234567890')).toMatch(/common/);
    expect(findPasswordWeakness('Ada@Example.com', { email: 'ada@example.com' })).toMatch(/email/);
    expect(findPasswordWeakness(' Acme Widgets ', { workspaceName: 'acme widgets' })).toMatch(/workspace/);
    expect(findPasswordWeakness('correct horse battery', { email: 'ada@example.com', workspaceName: 'Acme' })).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(findPasswordWeakness('🔑'.repeat(10))).toBeUndefined();
    expect(findPasswordWeakness('🔑'.repeat(9))).toMatch(/at least/);
  });

  it('throws auth.password_weak naming the password field', () => {
    try {
      assertPasswordAllowed('qwertyuiop');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 400, code: 'auth.password_weak', details: [{ field: 'password' }] });
    }
  });
});

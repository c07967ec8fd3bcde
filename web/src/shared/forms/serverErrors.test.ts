import type { UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/ApiError';
import { applyServerErrors, emptyToNull } from './serverErrors';

// Only the two form methods the helper uses; the rest of Mantine's form is irrelevant here.
function fakeForm(values: Record<string, unknown>) {
  const state = { errors: {} as Record<string, unknown> };
  const form = {
    getValues: () => values,
    setErrors: (errors: Record<string, unknown>) => {
      state.errors = errors;
    },
  } as unknown as UseFormReturnType<Record<string, unknown>>;
  return { form, state };
}

const t = ((key: string, options?: { defaultValue?: string }) => options?.defaultValue ?? key) as unknown as TFunction;

describe('applyServerErrors', () => {
  it('puts each field message under its field and leaves no form-level message', () => {
    const { form, state } = fakeForm({ name: '', phone: '' });
    const error = new ApiError(400, 'contact.phone_invalid', 'Invalid phone', [{ field: 'phone', message: 'is not a valid phone number' }]);

    expect(applyServerErrors(form, error, t)).toBeNull();
    expect(state.errors).toEqual({ phone: 'is not a valid phone number' });
  });

  it('reports details about fields the form does not have in the form-level message', () => {
    const { form } = fakeForm({ name: '' });
    const error = new ApiError(400, 'validation.failed', 'Invalid body', [{ field: 'ownerId', message: 'is not a known field' }]);

    expect(applyServerErrors(form, error, t)).toBe('Invalid body (ownerId: is not a known field)');
  });

  it('uses the server message when the error has no field details', () => {
    const { form } = fakeForm({ email: '' });
    expect(applyServerErrors(form, new ApiError(401, 'auth.invalid_credentials', 'Wrong email or password'), t)).toBe('Wrong email or password');
  });
});

describe('emptyToNull', () => {
  it('turns blank strings into null and trims the rest', () => {
    expect(emptyToNull({ name: ' Ada ', email: '  ', title: '' })).toEqual({ name: 'Ada', email: null, title: null });
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './ApiError';
import { api, setCsrfToken, toQueryString } from './apiClient';

function answer(status: number, body?: unknown) {
  return vi.fn(async (_url: string, _init?: RequestInit) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('apiClient', () => {
  it('sends the CSRF token on writes but not on reads', async () => {
    const fetchMock = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('token-1');

    await api.get('/contacts');
    await api.post('/contacts', { name: 'Ada' });

    const [readUrl, read] = fetchMock.mock.calls[0]!;
    const [writeUrl, write] = fetchMock.mock.calls[1]!;
    expect(readUrl).toBe('/api/v1/contacts');
    expect(new Headers(read?.headers).has('x-csrf-token')).toBe(false);
    expect(writeUrl).toBe('/api/v1/contacts');
    expect(new Headers(write?.headers).get('x-csrf-token')).toBe('token-1');
    expect(write?.credentials).toBe('same-origin');
    expect(write?.body).toBe('{"name":"Ada"}');
  });

  it('turns an error body into an ApiError with its field details', async () => {
    vi.stubGlobal('fetch', answer(400, { error: { code: 'contact.phone_invalid', message: 'Bad phone', details: [{ field: 'phone', message: 'is not a phone number' }] } }));

    const error = await api.post('/contacts', { name: 'Ada', phone: '1' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'contact.phone_invalid', message: 'Bad phone' });
    expect((error as ApiError).fieldErrors).toEqual([{ field: 'phone', message: 'is not a phone number' }]);
  });

  it('answers undefined for 204 No Content', async () => {
    vi.stubGlobal('fetch', answer(204));
    await expect(api.delete('/contacts/1')).resolves.toBeUndefined();
  });

  it('leaves empty values out of the query string and encodes filter brackets', () => {
    expect(toQueryString({ q: '', sort: 'name', cursor: undefined, 'filter[companyId]': 'a b' })).toBe('?sort=name&filter%5BcompanyId%5D=a+b');
    expect(toQueryString({ q: null })).toBe('');
  });
});

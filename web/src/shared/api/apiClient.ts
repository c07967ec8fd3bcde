import { ApiError } from './ApiError';

const basePath = '/api/v1';
const unsafeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

// The session cookie is httpOnly; the CSRF token comes back in the body of
// signup/login/me and must be echoed on every state-changing request.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export type QueryValue = string | number | null | undefined;

/** Builds `?a=1&filter[companyId]=x`, skipping empty values so defaults stay server-side. */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

export async function requestApi<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (unsafeMethods.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${basePath}${path}${toQueryString(options.query ?? {})}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network.failed', error instanceof Error ? error.message : String(error));
  }

  if (response.status === 204) return undefined as T;
  const payload: unknown = await readJson(response);
  if (!response.ok) throw toApiError(response, payload);
  return payload as T;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toApiError(response: Response, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(response.status, error.code, String(error.message ?? error.code), error.details);
  }
  return new ApiError(response.status, `http.${response.status}`, response.statusText || `HTTP ${response.status}`);
}

/** POSTs a file as the raw request body (the import endpoints stream it to disk as it arrives). */
export async function uploadApi<T>(path: string, file: Blob, query: Record<string, QueryValue> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'text/csv' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${basePath}${path}${toQueryString(query)}`, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch (error) {
    throw new ApiError(0, 'network.failed', error instanceof Error ? error.message : String(error));
  }
  const payload: unknown = await readJson(response);
  if (!response.ok) throw toApiError(response, payload);
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    requestApi<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => requestApi<T>(path, { method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => requestApi<T>(path, { method: 'PATCH', body }),
  delete: (path: string) => requestApi<void>(path, { method: 'DELETE' }),
};

export interface FieldErrorDetail {
  field: string;
  message: string;
}

/** An error answered by the server (or a network failure, with status 0 and code `network.failed`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The `details` entries that name a field, the shape every field-level error uses. */
  get fieldErrors(): FieldErrorDetail[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (detail): detail is FieldErrorDetail =>
        typeof detail === 'object' &&
        detail !== null &&
        typeof (detail as FieldErrorDetail).field === 'string' &&
        typeof (detail as FieldErrorDetail).message === 'string',
    );
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

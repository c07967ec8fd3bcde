// One vocabulary of failures. Services throw these; the HTTP error handler turns them into
// `{ "error": { "code", "message", "details" } }` with the status they carry.

export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string) {
    super(404, `${entity}.not_found`, `No ${entity} with id ${id}`);
  }
}

/** A 400 that names the field at fault, so forms can show the message beside it. */
export class FieldError extends AppError {
  constructor(code: string, field: string, message: string, status = 400) {
    super(status, code, message, [{ field, message } satisfies FieldProblem]);
  }
}

export class ValidationError extends AppError {
  constructor(problems: FieldProblem[]) {
    const first = problems[0];
    super(400, 'validation.failed', first ? `${first.field}: ${first.message}` : 'Invalid request', problems);
  }
}

export class ConflictError extends FieldError {
  constructor(code: string, field: string, message: string) {
    super(code, field, message, 409);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first') {
    super(401, 'auth.unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

// Expected failures. Each carries a stable `code` that the GraphQL layer exposes as
// `extensions.code` (and HTTP routes as `error.code`); anything else is unexpected and is
// masked in production.

export type IssuePath = (string | number)[];

/** One problem with one input value, located by its path (e.g. ['input', 'contacts', 3, 'email']). */
export interface Issue {
  path: IssuePath;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  /** HTTP status used when the error ends a non-GraphQL request. */
  abstract readonly httpStatus: number;
  readonly issues?: Issue[];
  constructor(message: string, issues?: Issue[]) {
    super(message);
    this.name = new.target.name;
    this.issues = issues;
  }
}

/** Input that breaks a rule; nothing was written. */
export class ValidationError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  readonly httpStatus = 400;
  constructor(message: string, issues: Issue[] = []) {
    super(message, issues);
  }
  /** A single-issue error at `path`. */
  static at(path: IssuePath, message: string): ValidationError {
    return new ValidationError(`${formatPath(path)}: ${message}`, [{ path, message }]);
  }
  /** Issues re-rooted under `prefix` (a core function's paths inside a GraphQL argument). */
  prefixed(prefix: IssuePath): ValidationError {
    return new ValidationError(
      this.message,
      (this.issues ?? []).map((i) => ({ ...i, path: [...prefix, ...i.path] })),
    );
  }
}

/** The thing does not exist in the caller's workspace (or anywhere: the two are indistinguishable). */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  readonly httpStatus = 404;
  constructor(what: string, id?: string | number) {
    super(id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  readonly httpStatus = 409;
}

/** The request is well-formed but the state does not allow it (e.g. editing a sent campaign). */
export class FailedPreconditionError extends AppError {
  readonly code = 'FAILED_PRECONDITION';
  readonly httpStatus = 409;
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  readonly httpStatus = 401;
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  readonly httpStatus = 403;
}

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  readonly httpStatus = 429;
  constructor(readonly retryAfterMs: number) {
    super(`rate limit exceeded; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

export function formatPath(path: IssuePath): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** Converts zod issues into ours, under an optional prefix. */
export function fromZodIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix: IssuePath = [],
): Issue[] {
  return issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.message,
  }));
}

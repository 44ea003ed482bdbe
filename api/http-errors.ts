import { GraphQLError } from 'graphql';
import { AppError, RateLimitedError } from '../core/errors';

/** Our expected errors as GraphQL errors: `extensions.code`, `extensions.issues`, and the HTTP status. */
export function toGraphQLError(err: AppError, path?: readonly (string | number)[]): GraphQLError {
  const headers: Record<string, string> = {};
  if (err instanceof RateLimitedError) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
  return new GraphQLError(err.message, {
    path,
    extensions: {
      code: err.code,
      ...(err.issues?.length ? { issues: err.issues } : {}),
      http: { status: err.httpStatus, headers },
    },
  });
}

/** A JSON error response for non-GraphQL routes: { error: { code, message, issues } }. */
export function jsonError(err: AppError): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (err instanceof RateLimitedError) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
  return new Response(JSON.stringify({ error: { code: err.code, message: err.message, ...(err.issues?.length ? { issues: err.issues } : {}) } }), {
    status: err.httpStatus,
    headers,
  });
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

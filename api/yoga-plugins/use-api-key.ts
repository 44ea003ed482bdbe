import type { Plugin } from 'graphql-yoga';
import { AppError, RateLimitedError } from '../../core/errors';
import type { AuthenticatedKey } from '../../core/workspaces/api-keys';
import type { ApiKeyAuthenticator } from '../auth/authenticate';
import type { ApiRateLimiter } from '../rate-limit';

/**
 * Authenticates and rate-limits every GraphQL HTTP request before it is parsed, so that
 * neither a bad key nor a flood of invalid queries costs more than a lookup. The result is
 * kept for the context factory (`keyFor`).
 */
export function useApiKey(authenticator: ApiKeyAuthenticator, rateLimiter: ApiRateLimiter, endpoint = '/graphql') {
  const byRequest = new WeakMap<Request, AuthenticatedKey | null>();
  const plugin: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== endpoint) return;
      // The GraphiQL page itself is public; the queries it sends carry the key.
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return;
      try {
        const key = await authenticator.authenticate(request.headers.get('authorization'));
        if (key) await rateLimiter.consume(key.keyId);
        byRequest.set(request, key);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (err instanceof RateLimitedError) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
        endResponse(new Response(JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code } }] }), { status: err.httpStatus, headers }));
      }
    },
  };
  return {
    plugin,
    /** The key that authenticated this request (undefined if the plugin did not see it). */
    keyFor: (request: Request): AuthenticatedKey | null | undefined => byRequest.get(request),
  };
}

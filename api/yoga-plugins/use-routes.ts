// Serves non-GraphQL HTTP routes (health, ingest, tracking, webhooks, plugin routes) from the
// same yoga server, as Fetch API handlers, so they share its server, port and shutdown.
import { match, type MatchFunction } from 'path-to-regexp';
import type { Plugin } from 'graphql-yoga';
import { AppError, ForbiddenError, UnauthenticatedError } from '../../core/errors';
import { forWorkspace, type CoreContext } from '../../core/context';
import { scopeAllows } from '../../core/workspaces/api-keys';
import type { RouteDefinition } from '../../plugins/sdk/define-plugin';
import type { ApiKeyAuthenticator } from '../auth/authenticate';
import type { ApiRateLimiter } from '../rate-limit';
import { jsonError } from '../http-errors';

export interface RouteDeps {
  core: CoreContext;
  authenticator: ApiKeyAuthenticator;
  rateLimiter: ApiRateLimiter;
}

export function useRoutes(routes: (RouteDefinition & { owner?: string })[], deps: RouteDeps): Plugin {
  const compiled = routes.map((r) => ({ route: r, match: match(r.path, { decode: decodeURIComponent }) as MatchFunction<Record<string, string>> }));
  return {
    async onRequest({ request, url, endResponse }) {
      let methodMismatch = false;
      for (const { route, match: m } of compiled) {
        const hit = m(url.pathname);
        if (!hit) continue;
        if (route.method !== request.method) {
          methodMismatch = true;
          continue;
        }
        endResponse(await serve(route, request, url, hit.params, deps));
        return;
      }
      if (methodMismatch) endResponse(new Response(null, { status: 405 }));
    },
  };
}

async function serve(route: RouteDefinition & { owner?: string }, request: Request, url: URL, params: Record<string, string>, deps: RouteDeps): Promise<Response> {
  try {
    let workspace = null;
    if (route.auth !== 'public') {
      const key = await deps.authenticator.authenticate(request.headers.get('authorization'));
      if (!key) throw new UnauthenticatedError('send an API key: Authorization: Bearer <key>');
      if (!scopeAllows(key.scope, route.auth.scope)) throw new ForbiddenError(`this API key (scope ${key.scope}) may not use ${route.method} ${route.path}`);
      await deps.rateLimiter.consume(key.keyId);
      workspace = forWorkspace(deps.core, key.workspaceId, { type: 'api_key', id: key.keyId }, request.headers.get('x-request-id') ?? undefined);
    }
    return await route.handler({ request, url, params, core: deps.core, workspace });
  } catch (err) {
    if (err instanceof AppError) return jsonError(err);
    deps.core.log.error({ err, route: `${route.method} ${route.path}`, plugin: route.owner }, 'route handler failed');
    return new Response(JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'unexpected error' } }), {
      status: 500,
      headers: { 'content-type': 'application/json' },
    });
  }
}

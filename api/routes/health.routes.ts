import { defineRoute, type RouteDefinition } from '../../plugins/sdk/define-plugin';
import { jsonResponse } from '../http-errors';

/** Liveness (/healthz: the process answers) and readiness (/readyz: it can serve: database up, not draining). */
export function healthRoutes(state: { ready: () => boolean }): RouteDefinition[] {
  return [
    defineRoute({ method: 'GET', path: '/healthz', auth: 'public', handler: () => jsonResponse({ status: 'ok' }) }),
    defineRoute({
      method: 'GET',
      path: '/readyz',
      auth: 'public',
      handler: async ({ core }) => {
        if (!state.ready()) return jsonResponse({ status: 'draining' }, 503);
        try {
          await core.db.sql.query('SELECT 1');
          return jsonResponse({ status: 'ready' });
        } catch (err) {
          return jsonResponse({ status: 'database unavailable', detail: (err as Error).message }, 503);
        }
      },
    }),
  ];
}

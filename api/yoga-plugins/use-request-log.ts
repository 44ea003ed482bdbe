import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../core/logger';

/** One structured log line per HTTP request, with its request id and duration. */
export function useRequestLog(log: Logger): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const t0 = started.get(request);
      const url = new URL(request.url);
      log.info(
        {
          requestId: request.headers.get('x-request-id') ?? undefined,
          method: request.method,
          path: url.pathname,
          status: response.status,
          ms: t0 === undefined ? undefined : Math.round((performance.now() - t0) * 10) / 10,
        },
        'request',
      );
    },
  };
}

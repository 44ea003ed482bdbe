import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../core/logger';

/** One structured log line per HTTP request (LOG_LEVEL=debug), with its request id and duration. */
export function useRequestLog(log: Logger, requestIdOf: (request: Request) => string): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const t0 = started.get(request);
      log.info(
        {
          requestId: requestIdOf(request),
          method: request.method,
          path: new URL(request.url, 'http://x').pathname,
          status: response.status,
          ms: t0 === undefined ? undefined : Math.round((performance.now() - t0) * 10) / 10,
        },
        'request',
      );
    },
  };
}

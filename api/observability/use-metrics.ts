// Feeds the request, operation, error and subscription metrics from yoga's and envelop's hooks.
// Runs before the routes plugin so tracking, webhook and ingest routes are timed too.
import type { Plugin } from 'graphql-yoga';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { match } from 'path-to-regexp';
import type { RouteDefinition } from '../../plugins/sdk/define-plugin';
import type { AppMetrics } from './metrics-registry';

const isAsyncIterable = (x: unknown): x is AsyncIterable<unknown> => typeof x === 'object' && x !== null && Symbol.asyncIterator in x;

/** The route label: the route's pattern, never the raw path (tokens and ids would explode the series). */
function routeLabeler(routes: RouteDefinition[], graphqlEndpoint: string) {
  const matchers = routes.map((r) => ({ path: r.path, test: match(r.path, { decode: false }) }));
  return (pathname: string): string => {
    if (pathname === graphqlEndpoint) return graphqlEndpoint;
    return matchers.find((m) => m.test(pathname))?.path ?? 'other';
  };
}

function codeOf(err: GraphQLError): string {
  const code = err.extensions?.code ?? (err.originalError as { code?: string } | undefined)?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

export function useMetrics(metrics: AppMetrics, routes: RouteDefinition[], graphqlEndpoint = '/graphql'): Plugin {
  const started = new WeakMap<Request, number>();
  const label = routeLabeler(routes, graphqlEndpoint);
  const countErrors = (result: ExecutionResult) => {
    for (const err of result.errors ?? []) metrics.graphqlErrors.inc({ code: codeOf(err) });
  };
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const t0 = started.get(request);
      if (t0 === undefined) return;
      const url = new URL(request.url, 'http://x');
      metrics.httpDuration.observe({ method: request.method, route: label(url.pathname), status: String(response.status) }, (performance.now() - t0) / 1000);
    },
    onExecute({ args }) {
      const op = args.document.definitions.find((d: { kind: string }) => d.kind === 'OperationDefinition') as { operation?: string } | undefined;
      const type = op?.operation ?? 'query';
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          countErrors(result);
          metrics.graphqlOperations.inc({ type, outcome: result.errors?.length ? 'error' : 'ok' });
        },
      };
    },
    onSubscribe({ args }) {
      // graphql-ws operations carry the socket in their context; SSE ones the request.
      const transport = (args.contextValue as { socket?: unknown }).socket ? 'websocket' : 'sse';
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) {
            countErrors(result);
            metrics.graphqlOperations.inc({ type: 'subscription', outcome: 'error' });
            return;
          }
          metrics.graphqlOperations.inc({ type: 'subscription', outcome: 'ok' });
          metrics.activeSubscriptions.inc({ transport });
          let ended = false;
          return {
            onEnd() {
              if (ended) return;
              ended = true;
              metrics.activeSubscriptions.dec({ transport });
            },
          };
        },
      };
    },
  };
}

// Whole-response cache for the analytics read queries (campaignDashboard, analyticsOverview),
// through @graphql-yoga/plugin-response-cache. A dashboard page is ~700 fields: executing them
// is most of a request's CPU, while its figures change a few times a second at most. A hit is
// answered in yoga's onParams — before parsing, validation, the context and execution — so it
// costs little more than the key check and the rate limiter, which still run first.
//
// What is cached: only operations that select one of ANALYTICS_FIELDS and nothing else at the
// root (every other Query field has ttl 0, and the smallest ttl of a document wins), sent over
// HTTP (GET, POST or SSE) with a valid key, without errors. Everything else never reaches the plugin
// (`enabled` is false): other queries keep read-your-writes, mutations and subscriptions run as
// before, and WebSocket operations (no yoga onParams) bypass it.
//
// Key: the document, operation name, variables and the caller's scope — workspace and key scope
// (key-scope.ts) — from the key use-api-key.ts authenticated in onRequest. The plugin asks for
// the session before our context exists (yoga's onParams), so it must come from the request.
//
// Freshness: entries live 1 s (`ttlMs`). All of a workspace's entries are dropped (the simplest
// correct choice: a page shows every recent campaign, the overview all of them) when
// - an event says a campaign's figures or status may have changed (STATS_CHANGE_TOPICS, the
//   live feed's; they reach every API process through the pubsub), a campaign was created,
//   edited or deleted (campaign.changed), or a persona was renamed or deleted (personas are
//   named in the breakdown);
// - any mutation of the workspace ran in this process: a dashboard shows campaign names and
//   statuses and, through `campaign`, anything about them; this catches what no domain event
//   announces (at once in this process; other processes rely on the events above and the TTL).
//   Mutations are rare next to dashboard reads.
// A response whose execution overlapped such a drop is not stored (WorkspaceResponseCache.changedSince).
import { getOperationAST, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { hashSHA256, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { AuthenticatedKey } from '../../core/workspaces/api-keys';
import type { GraphQLContext } from '../../schema/context';
import type { AppPubSub } from '../../schema/pubsub';
import { STATS_CHANGE_TOPICS } from '../../schema/analytics/live-stats-feed';
import '../../core/personas/persona-events';
import { keyScope } from './key-scope';
import { WorkspaceResponseCache, cacheKeyOf, type ExecutionMark } from './workspace-response-cache';

/** The Query fields whose responses are cached. */
export const ANALYTICS_FIELDS = ['campaignDashboard', 'analyticsOverview'] as const;

/** Events after which a workspace's cached analytics responses may be stale. */
export const ANALYTICS_CHANGE_TOPICS = [...STATS_CHANGE_TOPICS, 'campaign.changed', 'persona.updated', 'persona.deleted'] as const;

export const DEFAULT_TTL_MS = 1_000;

// A document that selects an analytics field names it; the rest are left alone before any work.
const NAMES_ANALYTICS_FIELD = new RegExp(`\\b(${ANALYTICS_FIELDS.join('|')})\\b`);

export function useAnalyticsResponseCache(args: {
  schema: GraphQLSchema;
  pubsub: AppPubSub;
  /** The key use-api-key.ts authenticated for this request (null or undefined: none). */
  keyFor: (request: Request) => AuthenticatedKey | null | undefined;
  /** How long an entry lives; 1 s unless a test proves the drops with a longer one. */
  ttlMs?: number;
  /** Told of every lookup (for the hit/miss metric). */
  onLookup?: (hit: boolean) => void;
}): Plugin {
  const ttl = args.ttlMs ?? DEFAULT_TTL_MS;
  const cache = new WorkspaceResponseCache(1000, () => args.onLookup?.(true));
  // Requests that may be served from or stored in the cache, with their workspace's version
  // when they began. Keyed by the Request: the plugin's hooks see it, or the context holding it.
  const candidates = new WeakMap<Request, ExecutionMark>();
  const markOf = (request: Request | undefined) => (request ? candidates.get(request) : undefined);

  const ttlPerSchemaCoordinate: Record<string, number> = {};
  for (const name of Object.keys(args.schema.getQueryType()?.getFields() ?? {})) ttlPerSchemaCoordinate[`Query.${name}`] = 0;
  for (const name of ANALYTICS_FIELDS) ttlPerSchemaCoordinate[`Query.${name}`] = ttl;
  ttlPerSchemaCoordinate['Query.__type'] = 0;

  const detach = args.pubsub.listen(ANALYTICS_CHANGE_TOPICS, (_topic, e) => cache.dropWorkspace(e.workspaceId));

  return {
    onPluginInit({ addPlugin }) {
      // Added right after this plugin: our onParams (which picks the candidates) runs first, and
      // its onExecute wraps the executor graphql-jit set (use-compiled-execution.ts comes before).
      addPlugin(
        useResponseCache<GraphQLContext>({
          cache,
          ttl: 0,
          ttlPerSchemaCoordinate,
          session: (request) => {
            const key = args.keyFor(request);
            return key ? keyScope(key) : null;
          },
          enabled: (request) => markOf(request) !== undefined,
          // Scope first, so the store can tell the workspace; variables in the client's key order
          // (another order is only a miss).
          buildResponseCacheKey: async ({ sessionId, documentString, operationName, variableValues }) =>
            cacheKeyOf(sessionId ?? '-', await hashSHA256([documentString, operationName ?? '', JSON.stringify(variableValues ?? {})].join('|'))),
          onTtl: ({ ttl: chosen, context }) => {
            const mark = markOf((context as Partial<GraphQLContext> & { request?: Request }).request);
            return mark && !cache.changedSince(mark) ? chosen : 0;
          },
        }),
      );
    },
    onParams({ params, request }) {
      const key = args.keyFor(request);
      if (key && params.query && NAMES_ANALYTICS_FIELD.test(params.query)) candidates.set(request, cache.mark(key.workspaceId));
    },
    onExecute({ args: { document, operationName, contextValue }, executeFn, setExecuteFn }) {
      // The plugin executes a copy of the document with `__typename` and `id` added to every
      // selection, to index entries by entity. We drop by workspace and need no index, and the
      // copy would cost CPU on every miss and count against the query limits (Pothos' complexity
      // counts each added field, times list sizes: 621 → 742 for the bench's page). So the
      // executor under the plugin runs the client's document; the plugin only strips fields
      // that are then not there, and takes its TTL from its own copy as before.
      // Reached only on a miss: a hit is answered before anything executes.
      if (markOf((contextValue as { request?: Request }).request)) {
        setExecuteFn((a) => {
          args.onLookup?.(false);
          return executeFn({ ...a, document });
        });
      }
      const workspaceId = (contextValue as Partial<GraphQLContext>).workspace?.workspaceId;
      if (workspaceId === undefined || getOperationAST(document, operationName)?.operation !== 'mutation') return;
      return { onExecuteDone: () => cache.dropWorkspace(workspaceId) };
    },
    onDispose: detach,
  };
}

// The yoga server: GraphQL over HTTP and SSE at /graphql, GraphiQL, plus our non-GraphQL
// routes. WebSocket subscriptions are attached to the same HTTP server in websocket.ts.
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createFetch } from '@whatwg-node/fetch';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { AppError } from '../core/errors';
import { forWorkspace } from '../core/context';
import type { AuthenticatedKey } from '../core/workspaces/api-keys';
import type { GraphQLContext, QueryLimits } from '../schema/context';
import type { AppPubSub } from '../schema/pubsub';
import type { RouteDefinition } from '../plugins/sdk/define-plugin';
import type { CoreServices } from './core-services';
import type { ApiKeyAuthenticator } from './auth/authenticate';
import type { ApiRateLimiter } from './rate-limit';
import { toGraphQLError } from './http-errors';
import { useRoutes } from './yoga-plugins/use-routes';
import { useRequestLog } from './observability/use-request-log';
import { useApiKey } from './yoga-plugins/use-api-key';
import { createRequestIds } from './observability/use-request-id';
import { createErrorLog } from './observability/use-error-log';
import { useMetrics } from './observability/use-metrics';
import type { AppMetrics } from './observability/metrics-registry';
import { useCompiledExecution } from './yoga-plugins/use-compiled-execution';
import { useSharedSubscriptionResults, type RawNextSink } from './yoga-plugins/use-shared-subscription-results';
import { useAnalyticsResponseCache } from './yoga-plugins/use-analytics-response-cache';
import { keyScope } from './yoga-plugins/key-scope';

/**
 * What the server adapter passes in; `wsAuth` is set for WebSocket operations (checked at
 * connection_init), with `rawNext`, the socket's sink for shared subscription results.
 */
export interface ServerContext {
  wsAuth?: AuthenticatedKey | null;
  rawNext?: RawNextSink;
}

export type PersonaeYoga = YogaServerInstance<ServerContext, GraphQLContext>;

/** How operations execute; all on by default (benchmarks turn them off to compare). */
export interface ExecutionOptions {
  /** Compile the queries graphql-jit runs exactly like graphql-js (use-compiled-execution.ts, jit-safety.ts). */
  jit?: boolean;
  /** One execution per event for identical subscribers of one workspace and scope (use-shared-subscription-results.ts). */
  sharedSubscriptions?: boolean;
  /**
   * Whole responses of the analytics read queries, per workspace and key scope, dropped when their
   * figures change (use-analytics-response-cache.ts). `ttlMs` is 1 s; tests lengthen it to prove the drops.
   */
  responseCache?: boolean | { ttlMs?: number };
}

// Subscribers equal in workspace and key scope may share an event's result (key-scope.ts).
const subscriptionScope = (ctx: GraphQLContext) => (ctx.auth && ctx.workspace ? keyScope({ workspaceId: ctx.workspace.workspaceId, scope: ctx.auth.scope }) : null);

/** graphql-ws subscribers carry a raw sink for shared results (websocket.ts); SSE ones do not. Yoga merges the server context into every operation's. */
const rawNextSink = (ctx: GraphQLContext) => (ctx as GraphQLContext & ServerContext).rawNext ?? null;

const GRAPHIQL_QUERY = `# Personae GraphQL API. Set the header  Authorization: Bearer <your key>  below.
query Overview {
  workspace { name timezone }
  contacts(first: 5, orderBy: { field: LAST_SEEN_AT, direction: DESC }) {
    totalCount
    edges { node { id email firstName attributes recentEvents(limit: 3) { type occurredAt value } } }
  }
}
`;

export function createYogaServer(args: {
  schema: GraphQLSchema;
  core: CoreServices;
  authenticator: ApiKeyAuthenticator;
  rateLimiter: ApiRateLimiter;
  pubsub: AppPubSub;
  metrics: AppMetrics;
  routes: RouteDefinition[];
  limits: QueryLimits & { aliases: number; uploadBytes: number };
  production: boolean;
  requestLog: boolean;
  execution?: ExecutionOptions;
}): PersonaeYoga {
  const { core, authenticator, rateLimiter } = args;
  const apiKey = useApiKey(authenticator, rateLimiter);
  const requestIds = createRequestIds();
  const errorLog = createErrorLog(core.log);
  const responseCache = args.execution?.responseCache ?? true;
  return createYoga<ServerContext, GraphQLContext>({
    schema: args.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: {
      debug: (...a: unknown[]) => core.log.debug({ yoga: a }, 'yoga'),
      info: (...a: unknown[]) => core.log.info({ yoga: a }, 'yoga'),
      warn: (...a: unknown[]) => core.log.warn({ yoga: a }, 'yoga'),
      error: (...a: unknown[]) => core.log.error({ yoga: a }, 'yoga'),
    },
    graphiql: {
      title: 'Personae GraphiQL',
      defaultQuery: GRAPHIQL_QUERY,
      headers: JSON.stringify({ Authorization: 'Bearer <your key>' }, null, 2),
      subscriptionsProtocol: 'WS',
    },
    multipart: true,
    // Upload limits for GraphQL multipart requests (the plain CSV import route streams instead).
    fetchAPI: createFetch({ formDataLimits: { fileSize: args.limits.uploadBytes, files: 5, fieldSize: 10 * 1024 * 1024 } }),
    context: async (initial): Promise<GraphQLContext> => {
      // WebSocket operations have no Request of their own: each gets a fresh id.
      const requestId = requestIds.idOf(initial.wsAuth !== undefined ? undefined : initial.request);
      let auth: AuthenticatedKey | null;
      try {
        if (initial.wsAuth !== undefined) {
          // WebSocket: the key was checked at connection_init; each operation spends rate budget.
          auth = initial.wsAuth;
          if (auth) await rateLimiter.consume(auth.keyId);
        } else {
          auth = apiKey.keyFor(initial.request) ?? (await authenticator.authenticate(initial.request.headers.get('authorization')));
        }
      } catch (err) {
        if (err instanceof AppError) throw toGraphQLError(err);
        throw err;
      }
      return {
        requestId,
        core,
        auth,
        // Core functions log through ctx.log: their lines carry the request id.
        workspace: auth ? { ...forWorkspace(core, auth.workspaceId, { type: 'api_key', id: auth.keyId }, requestId), log: core.log.child({ requestId }) } : null,
        limits: args.limits,
        pubsub: args.pubsub,
      };
    },
    maskedErrors: {
      isDev: !args.production,
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof AppError) return toGraphQLError(original, error instanceof GraphQLError ? error.path : undefined);
        if (error instanceof GraphQLError && !original) return error; // parse/validation errors are the client's
        if (error instanceof GraphQLError && !error.path) {
          // Raised before execution (variable coercion, e.g. a malformed DateTime): the client's input.
          return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        }
        errorLog.logIfMissed(original ?? error);
        return new GraphQLError(args.production ? message : `${message} ${(original as Error)?.message ?? ''}`.trim(), {
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      },
    },
    plugins: [
      // Before the routes plugin, which answers its routes in onRequest.
      requestIds.plugin,
      errorLog.plugin,
      useMetrics(args.metrics, args.routes),
      useRoutes(args.routes, { core, authenticator, rateLimiter }),
      apiKey.plugin,
      maxAliasesPlugin({ n: args.limits.aliases, exposeLimits: true }),
      ...(args.requestLog ? [useRequestLog(core.log, requestIds.idOf)] : []),
      ...(args.execution?.jit !== false ? [useCompiledExecution((errors) => core.log.warn({ errors }, 'graphql-jit could not compile a document'))] : []),
      ...(args.execution?.sharedSubscriptions !== false ? [useSharedSubscriptionResults(subscriptionScope, rawNextSink)] : []),
      // After compiled execution: it wraps the executor that plugin sets.
      ...(responseCache !== false
        ? [useAnalyticsResponseCache({ schema: args.schema, pubsub: args.pubsub, keyFor: apiKey.keyFor, ttlMs: responseCache === true ? undefined : responseCache.ttlMs,
            onLookup: (hit) => args.metrics.responseCacheLookups.inc({ result: hit ? 'hit' : 'miss' }) })]
        : []),
    ],
  });
}

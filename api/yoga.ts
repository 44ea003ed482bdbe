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
import { useMetrics } from './observability/use-metrics';
import type { AppMetrics } from './observability/metrics-registry';

/** What the server adapter passes in; `wsAuth` is set for WebSocket operations (checked at connection_init). */
export interface ServerContext {
  wsAuth?: AuthenticatedKey | null;
}

export type PersonaeYoga = YogaServerInstance<ServerContext, GraphQLContext>;

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
}): PersonaeYoga {
  const { core, authenticator, rateLimiter } = args;
  const apiKey = useApiKey(authenticator, rateLimiter);
  const requestIds = createRequestIds();
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
        core.log.error({ err: original ?? error }, 'unexpected error in a resolver');
        return new GraphQLError(args.production ? message : `${message} ${(original as Error)?.message ?? ''}`.trim(), {
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      },
    },
    plugins: [
      // Before the routes plugin, which answers its routes in onRequest.
      requestIds.plugin,
      useMetrics(args.metrics, args.routes),
      useRoutes(args.routes, { core, authenticator, rateLimiter }),
      apiKey.plugin,
      maxAliasesPlugin({ n: args.limits.aliases, exposeLimits: true }),
      ...(args.requestLog ? [useRequestLog(core.log, requestIds.idOf)] : []),
    ],
  });
}

// Composes one Personae application: core services, plugins, schema, pubsub, yoga and routes.
// Used by the process entry (main.ts) and by tests, which call app.yoga.fetch in process.
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from '../schema';
import { PluginHost } from '../plugins/sdk/plugin-host';
import type { PluginInstance, RouteDefinition } from '../plugins/sdk/define-plugin';
import type { Config } from './config';
import { createCoreServices, type CoreServices } from './core-services';
import { ApiKeyAuthenticator } from './auth/authenticate';
import { ApiRateLimiter } from './rate-limit';
import { createPubSubBridge, type PubSubHandle } from './pubsub-bridge';
import { createYogaServer, type ExecutionOptions, type PersonaeYoga } from './yoga';
import { healthRoutes } from './routes/health.routes';
import { segmentRoutes } from './routes/segment.routes';
import { csvImportRoutes } from './routes/csv-import.routes';
import { coreJobHandlers } from './workers/core-jobs';
import { trackingRoutes } from './routes/tracking.routes';
import { unsubscribeRoutes } from './routes/unsubscribe.routes';
import { webhookRoutes } from './routes/webhooks.routes';
import { setTrackingBaseUrl } from '../core/tracking/tracking-config';
import type { Logger } from '../core/logger';
import { createAppMetrics, type AppMetrics } from './observability/metrics-registry';
import { metricsRoutes } from './observability/metrics.routes';

export interface App {
  config: Config;
  core: CoreServices;
  plugins: PluginHost;
  schema: GraphQLSchema;
  yoga: PersonaeYoga;
  authenticator: ApiKeyAuthenticator;
  pubsub: PubSubHandle;
  /** Prometheus metrics of this process (served at /metrics). */
  metrics: AppMetrics;
  /** False once shutdown has begun (readiness turns 503). */
  ready: boolean;
  close(): Promise<void>;
}

export async function createApp(args: { config: Config; databaseUrl: string; plugins: PluginInstance[]; log: Logger; core?: CoreServices; execution?: ExecutionOptions }): Promise<App> {
  const { config, log } = args;
  const core = args.core ?? createCoreServices({ databaseUrl: args.databaseUrl, secretKey: config.PERSONAE_SECRET_KEY, log, poolSize: config.DATABASE_POOL_SIZE });
  const plugins = new PluginHost(args.plugins);
  setTrackingBaseUrl(core, config.PUBLIC_URL);
  for (const job of coreJobHandlers()) core.extensions.jobs.register(job, 'personae');
  plugins.registerExtensions(core.extensions);
  const schema = buildSchema((b) => plugins.extendSchema(b));
  plugins.attachHooks(core.bus, core);

  const pubsub = createPubSubBridge({ bus: core.bus, redisUrl: config.REDIS_URL, log });
  const authenticator = new ApiKeyAuthenticator(core);
  core.bus.on('api_key.revoked', ({ keyId }) => authenticator.forgetKey(keyId));
  const rateLimiter = new ApiRateLimiter({ perMinute: config.RATE_LIMIT_PER_MINUTE, redis: pubsub.redis });
  const metrics = createAppMetrics({ core, bus: core.bus, pubsubMode: pubsub.mode, role: 'api' });

  const app: App = {
    config,
    core,
    plugins,
    schema,
    authenticator,
    pubsub,
    metrics,
    ready: true,
    yoga: undefined as unknown as PersonaeYoga,
    async close() {
      app.ready = false;
      await plugins.teardown(log);
      await core.bus.idle();
      await pubsub.close();
      metrics.close();
      await core.db.close();
    },
  };
  const routes: RouteDefinition[] = [...healthRoutes({ ready: () => app.ready }), ...metricsRoutes(metrics), ...segmentRoutes(), ...csvImportRoutes(), ...trackingRoutes(), ...unsubscribeRoutes(), ...webhookRoutes(), ...plugins.routes()];
  app.yoga = createYogaServer({
    schema,
    core,
    authenticator,
    rateLimiter,
    pubsub: pubsub.pubsub,
    metrics,
    routes,
    limits: { depth: config.GRAPHQL_MAX_DEPTH, complexity: config.GRAPHQL_MAX_COMPLEXITY, breadth: config.GRAPHQL_MAX_BREADTH, aliases: config.GRAPHQL_MAX_ALIASES, uploadBytes: config.MAX_UPLOAD_MB * 1024 * 1024 },
    production: config.NODE_ENV === 'production',
    requestLog: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace',
    execution: args.execution,
  });
  try {
    await plugins.setup(core);
  } catch (err) {
    await app.close(); // tears down the plugins that did set up, closes pools
    throw err;
  }
  return app;
}

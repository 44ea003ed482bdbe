// The worker process once its priority is set (api/worker-main.ts): core services, plugins,
// the pub/sub bridge, metrics and the background loops, until SIGINT/SIGTERM.
import os from 'node:os';
import type { Config } from './config';
import type { Logger } from '../core/logger';
import { resolveDatabase } from '../scripts/db/local-database';
import { migrate } from '../scripts/db/migration-runner';
import { PluginHost } from '../plugins/sdk/plugin-host';
import personae from '../personae.config';
import { createCoreServices } from './core-services';
import { createPubSubBridge } from './pubsub-bridge';
import { coreJobHandlers } from './workers/core-jobs';
import { createWorkerLoops, stopAll } from './workers';
import { createAppMetrics } from './observability/metrics-registry';
import { serveWorkerMetrics } from './observability/worker-metrics-server';

/** Starts the worker's loops; resolves once they run. */
export async function runWorker(config: Config, log: Logger): Promise<void> {
  const metricsPort = config.PERSONAE_WORKER_METRICS_PORT ?? null;
  const db = await resolveDatabase({ databaseName: config.PERSONAE_DB_NAME });
  await migrate(db.url);
  const core = createCoreServices({ databaseUrl: db.url, secretKey: config.PERSONAE_SECRET_KEY, log, poolSize: config.DATABASE_POOL_SIZE });
  const plugins = new PluginHost(personae.plugins);
  for (const job of coreJobHandlers()) core.extensions.jobs.register(job, 'personae');
  plugins.registerExtensions(core.extensions);
  plugins.attachHooks(core.bus, core);
  // Events emitted here (campaign progress, job progress) reach API subscribers through Redis.
  const bridge = createPubSubBridge({ bus: core.bus, redisUrl: config.REDIS_URL, log });
  const metrics = createAppMetrics({ core, bus: core.bus, pubsubMode: bridge.mode, role: 'worker' });
  const metricsServer = metricsPort === null ? null : await serveWorkerMetrics(metrics, { host: config.HOST, port: metricsPort });
  await plugins.setup(core);
  const loops = createWorkerLoops(core);
  loops.forEach((l) => l.start());
  log.info({ loops: loops.map((l) => l.name), metricsPort: metricsServer?.port, nice: os.getPriority() }, 'worker started');

  const shutdown = async () => {
    await stopAll(loops);
    await plugins.teardown(log);
    await core.bus.idle();
    await bridge.close();
    await metricsServer?.close();
    metrics.close();
    await core.db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

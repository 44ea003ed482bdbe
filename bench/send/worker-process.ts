// A delivery worker process for `WORKERS=n npx tsx bench/send/send.bench.ts`: the same
// start-up as `npm run worker` (core services, plugin host, delivery loops) with the
// sendgrid plugin pointed at the bench's fake, working for the bench workspace only.
import { createLogger } from '../../core/logger';
import { createCoreServices } from '../../api/core-services';
import { PluginHost } from '../../plugins/sdk/plugin-host';
import { outbox } from '../../plugins/outbox';
import { sendgrid } from '../../plugins/sendgrid';
import { setTrackingBaseUrl } from '../../core/tracking/tracking-config';
import { createDeliveryLoops } from '../../api/workers/delivery-loops';
import { DEFAULT_WORKER_NICE, lowerProcessPriority } from '../../api/workers/process-priority';

async function main() {
  const env = process.env;
  const log = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: 'bench-worker' });
  // As `npm run worker` does (api/worker-main.ts).
  lowerProcessPriority(Number(env.PERSONAE_WORKER_NICE ?? DEFAULT_WORKER_NICE), log);
  const core = createCoreServices({ databaseUrl: env.BENCH_DATABASE_URL!, secretKey: 'bench-secret-key-not-for-production', log, poolSize: 10 });
  const plugins = new PluginHost([outbox(), sendgrid({ baseUrl: env.SENDGRID_BASE_URL })]);
  plugins.registerExtensions(core.extensions);
  await plugins.setup(core);
  setTrackingBaseUrl(core, 'https://t.shop.example');
  const workspaceId = Number(env.WORKSPACE_ID);
  const loops = createDeliveryLoops(core, {
    sender: { workspaceId, concurrency: Number(env.SENDER_CONCURRENCY ?? 4), pollMs: 100 },
    scheduler: { workspaceId, tickMs: 500 },
  });
  loops.forEach((l) => l.start());
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void Promise.allSettled(loops.map((l) => l.stop())).then(() => core.db.close()).then(() => process.exit(0));
  });
}

void main();

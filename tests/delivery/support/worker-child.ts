// A worker process for the durability test: the same start-up as `npm run worker`
// (api/worker-main.ts: core services, plugin host, delivery loops) with the SendGrid plugin
// pointed at a loopback URL and short leases, so a killed worker's batch is recovered quickly.
// Started with tsx by tests/delivery/sigkill-durability.test.ts; prints "ready" once looping.
import { createLogger } from '../../../core/logger';
import { createCoreServices } from '../../../api/core-services';
import { PluginHost } from '../../../plugins/sdk/plugin-host';
import { outbox } from '../../../plugins/outbox';
import { sendgrid } from '../../../plugins/sendgrid';
import { setTrackingBaseUrl } from '../../../core/tracking/tracking-config';
import { createDeliveryLoops } from '../../../api/workers/delivery-loops';

async function main() {
  const env = process.env;
  const log = createLogger({ level: env.CHILD_LOG_LEVEL ?? 'warn', name: 'worker-child' });
  const core = createCoreServices({ databaseUrl: env.PERSONAE_TEST_DATABASE_URL!, secretKey: env.PERSONAE_SECRET_KEY!, log });
  const plugins = new PluginHost([outbox(), sendgrid({ baseUrl: env.SENDGRID_BASE_URL })]);
  plugins.registerExtensions(core.extensions);
  await plugins.setup(core);
  setTrackingBaseUrl(core, 'http://personae.test');
  const loops = createDeliveryLoops(core, {
    sender: { workspaceId: Number(env.WORKSPACE_ID), concurrency: 1, pollMs: 50, claimLeaseMs: Number(env.CLAIM_LEASE_MS ?? 1500), sendTimeoutMs: Number(env.SEND_TIMEOUT_MS ?? 3000), dispatchLeaseMarginMs: 500 },
    scheduler: { workspaceId: Number(env.WORKSPACE_ID), tickMs: 200, scan: { settleMs: 0 } },
  });
  loops.forEach((l) => l.start());
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void Promise.allSettled(loops.map((l) => l.stop())).then(() => core.db.close()).then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

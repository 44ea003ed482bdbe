// The API process of bench/live: api/main.ts's app and server (no workers, no demo seed, the
// database already migrated by the bench), with execution options from the environment so one
// run can measure before and after side by side: BENCH_JIT=off (graphql-js instead of
// graphql-jit), BENCH_SHARED_SUBSCRIPTIONS=off (one execution per subscriber per event),
// BENCH_TICKS_PER_SECOND=n (campaignStats coalescing bound other than the default),
// BENCH_RESPONSE_CACHE=off (no analytics response cache).
import { loadConfig } from '../../api/config';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../core/logger';
import personae from '../../personae.config';
import { liveStatsFeed } from '../../schema/analytics/live-stats-feed';

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('bench-api-main needs DATABASE_URL');
  const log = createLogger({ level: config.LOG_LEVEL });
  const execution = {
    jit: process.env.BENCH_JIT !== 'off',
    sharedSubscriptions: process.env.BENCH_SHARED_SUBSCRIPTIONS !== 'off',
    responseCache: process.env.BENCH_RESPONSE_CACHE !== 'off',
  };
  const app = await createApp({ config, databaseUrl: config.DATABASE_URL, plugins: personae.plugins, log, execution });
  // The feed is created on first use: creating it now, with this rate, is what subscribers get.
  if (process.env.BENCH_TICKS_PER_SECOND) liveStatsFeed(app.pubsub.pubsub, Number(process.env.BENCH_TICKS_PER_SECOND));
  const server = await listen(app, { host: config.HOST, port: config.PORT });
  const stop = async () => {
    await server.close(config.SHUTDOWN_TIMEOUT_MS);
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

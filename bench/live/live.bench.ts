// bench/live: live campaign metrics and the analytics dashboard, against real processes
// (redis-server, one API process, one worker process) on the personae_bench database.
//
//   npx tsx bench/live/live.bench.ts [--subscribers 1000] [--recipients 20000] [--driver worker|simulated]
//                                    [--dashboard-seconds 10] [--connections 10]
//
// 1. Dashboard throughput (autocannon): the dashboard query for 20 campaigns with figures,
//    variants and personas, beside `{ __typename }` through the same stack (the ceiling).
// 2. Live latency: N WebSocket subscribers on one campaign while it is sent; latency = receipt
//    − the time the newest counter change in the update was written. `--driver worker` runs
//    `npm run worker` (the real sender, outbox provider); `--driver simulated` has this process
//    mark batches sent through the rollup writer instead (no rendering, no provider).
import { parseArgs } from 'node:util';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createPubSubBridge } from '../../api/pubsub-bridge';
import { launchLiveCampaign, openWorld, seedDashboard } from './bench-data';
import { startApi, startRedis, startWorker, type Proc } from './bench-processes';
import { connectSubscribers, percentile } from './live-subscribers';
import { CAMPAIGNS_QUERY, DASHBOARD_QUERY, load } from './dashboard-load';
import { simulateSending } from './simulated-sender';

const { values: opts } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    recipients: { type: 'string', default: '20000' },
    driver: { type: 'string', default: 'worker' },
    'dashboard-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'skip-dashboard': { type: 'boolean', default: false },
    /** --driver simulated: messages per batch and milliseconds between batches. */
    batch: { type: 'string', default: '500' },
    'subscriber-processes': { type: 'string', default: '2' },
    interval: { type: 'string', default: '100' },
  },
});

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  const procs: Proc[] = [];
  const world = await openWorld(Number(opts.recipients));
  try {
    const redis = await startRedis();
    procs.push(redis);
    const env = { DATABASE_URL: world.databaseUrl, REDIS_URL: redis.url, PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production' };
    const api = await startApi(env);
    procs.push(api);

    if (!opts['skip-dashboard']) {
      await seedDashboard(world, 20, 2000);
      const seconds = Number(opts['dashboard-seconds']);
      const connections = Number(opts.connections);
      await load({ url: api.url, key: world.key, query: DASHBOARD_QUERY, variables: { first: 20 }, connections, seconds: 2 }); // warm-up
      const dashboard = await load({ url: api.url, key: world.key, query: DASHBOARD_QUERY, variables: { first: 20 }, connections, seconds });
      const generic = await load({ url: api.url, key: world.key, query: CAMPAIGNS_QUERY, variables: { first: 20 }, connections, seconds });
      const ceiling = await load({ url: api.url, key: world.key, query: '{ __typename }', connections, seconds });
      const line = (label: string, r: typeof dashboard) => console.log(`${label.padEnd(52)} ${fmt(r.requestsPerSecond).padStart(6)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (non-2xx ${r.non2xx}, errors ${r.errors})`);
      line('campaignDashboard (20 campaigns, variants, personas):', dashboard);
      line('same selection through campaigns (Prisma page):', generic);
      line('baseline { __typename }, same run:', ceiling);
      console.log(`goal: dashboard ≥ 1,000 req/s with p99 ≤ 50 ms (${connections} connections, ${seconds} s each)`);
    }

    const campaignId = await launchLiveCampaign(world);
    const subscribers = await connectSubscribers({ url: api.url, key: world.key, campaignId: encodeGlobalID('Campaign', String(campaignId)), count: Number(opts.subscribers), processes: Number(opts['subscriber-processes']) });
    console.log(`${fmt(Number(opts.subscribers))} WebSocket subscribers (in ${opts['subscriber-processes']} processes) connected to one campaign of ${fmt(world.contacts)} recipients`);
    subscribers.arm();
    const started = Date.now();
    if (opts.driver === 'simulated') {
      const bridge = createPubSubBridge({ bus: world.core.bus, redisUrl: redis.url, log: world.core.log });
      while (bridge.mode() !== 'redis') await new Promise((r) => setTimeout(r, 50));
      await simulateSending(world, { campaignId, batch: Number(opts.batch), intervalMs: Number(opts.interval), stop: () => false });
      await world.core.bus.idle();
      await new Promise((r) => setTimeout(r, 1000));
      await bridge.close();
    } else {
      procs.push(await startWorker({ ...env, PERSONAE_DELIVERY_WORKSPACE: String(world.ctx.workspaceId), PERSONAE_DELIVERY_POLL_MS: '100' }));
      // Until the scheduler marks the campaign SENT (recipients the dashboard campaigns reached
      // recently are skipped by the frequency cap, so "sent" stays below the audience).
      const deadline = Date.now() + 10 * 60_000;
      const status = async () => (await world.core.db.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } })).status;
      while ((await status()) !== 'SENT' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const seconds = (Date.now() - started) / 1000;
    const sentSeen = subscribers.maxSent();
    await subscribers.close();
    const lat = subscribers.latencies();
    console.log(`sent ${fmt(sentSeen)} messages in ${fmt(seconds, 1)} s (${opts.driver === 'simulated' ? `simulated sender, ${opts.batch} every ${opts.interval} ms` : 'worker process, outbox provider'})`);
    console.log(`update latency, counter change → receipt: p50 ${fmt(percentile(lat, 50))} ms, p99 ${fmt(percentile(lat, 99))} ms, max ${fmt(percentile(lat, 100))} ms over ${fmt(lat.length)} receipts (goal p99 ≤ 100 ms)`);
    console.log(`updates per subscriber: ${fmt(lat.length / Number(opts.subscribers), 1)} (coalesced to ≤ 4/s per campaign)`);
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await world.core.db.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

// bench/live: live campaign metrics and the analytics dashboard, against real processes
// (redis-server, API processes, a worker process) on the personae_bench_live database (new each run).
//
//   npx tsx bench/live/live.bench.ts [--subscribers 1000] [--recipients 20000] [--driver worker|simulated]
//                                    [--compare yes|no] [--dashboard-seconds 10] [--connections 10]
//                                    [--skip-dashboard] [--skip-live] [--batch 500] [--interval 100]
//                                    [--response-cache compare|yes|no] [--per-change] [--provider outbox|sendgrid]
//                                    [--phases worker,isolated,simulated] [--repeat 1] [--client lean|graphql-ws]
//
// 1. Dashboard throughput (autocannon): the dashboard query for 20 campaigns with figures,
//    variants and personas, on graphql-jit and (--compare) on graphql-js in the same run,
//    beside `{ __typename }` through the same stack (the ceiling). With `--response-cache
//    compare` (the default) also without the analytics response cache, on a second API process
//    (`no`: the main process runs without it; `yes`: no comparison). `--skip-live` for this alone.
// 2. Live latency: N WebSocket subscribers on one campaign while it is sent (change-log.ts and
//    live-subscribers.ts define the two latencies). Phases: the worker process sending
//    (`--driver worker`, the real sender with the outbox provider, which stores the messages in
//    MariaDB; `--provider sendgrid` sends them to the loopback SendGrid fake in its own process,
//    as bench/send does, which costs the 2 cores more: the fake parses every body); isolated
//    changes (one every 600 ms); and the simulated sender (this process marks `--batch` messages sent every
//    `--interval` ms through the rollup writer) with shared subscription execution and, with
//    --compare, without it, on a second API process.
//    `--repeat n` sends n campaigns in turn through the same worker process: the first finds it
//    cold (as the single run does), the others warm, as a long-running worker is. A phase's p99
//    is set by its worst one or two of ~25–70 changes, so one run says little on a noisy machine;
//    the summary gives each run's and the pooled figures. It lifts the frequency cap of the
//    bench workspace, or each campaign after the first would skip every recipient.
//    `--client`: the subscribers speak graphql-transport-ws through the bench's minimal client
//    (`lean`, ws-protocol-client.ts: less of the shared CPU per message) or graphql-ws's own.
import { parseArgs } from 'node:util';
import { createPubSubBridge } from '../../api/pubsub-bridge';
import { openWorld, seedDashboard } from './bench-data';
import { startApi, startRedis, startWorker, type Proc } from './bench-processes';
import { CAMPAIGNS_QUERY, DASHBOARD_QUERY, load, type LoadResult } from './dashboard-load';
import { subscriberClient } from './live-subscribers';
import { loadAverage, printPhase, printRepeatSummary, runLivePhase, type Driver, type PhaseResult } from './live-phase';
import { updateWorkspace } from '../../core/workspaces/workspaces';
import { cpuMeter, databasePids } from '../process-cpu';
import { runMain } from '../run-main';
import { createIntegration } from '../../core/integrations/integration-configs';
import { FAKE_SENDGRID_KEY, startFakeSendGridProcess } from '../send/fake-process-handle';

const { values: opts } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    recipients: { type: 'string', default: '20000' },
    driver: { type: 'string', default: 'worker' },
    compare: { type: 'string', default: 'yes' },
    'dashboard-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'skip-dashboard': { type: 'boolean', default: false },
    'skip-live': { type: 'boolean', default: false },
    batch: { type: 'string', default: '500' },
    interval: { type: 'string', default: '100' },
    'subscriber-processes': { type: 'string', default: '2' },
    /** The subscribers' client: graphql-ws's, or the bench's minimal one (ws-protocol-client.ts). */
    client: { type: 'string', default: 'lean' },
    'response-cache': { type: 'string', default: 'compare' },
    /** Also print each counter change of the live phases (announcement delay, latency). */
    'per-change': { type: 'boolean', default: false },
    provider: { type: 'string', default: 'outbox' },
    /** Which live phases run (comma-separated), e.g. `worker` alone to compare worker settings. */
    phases: { type: 'string', default: 'worker,isolated,simulated' },
    /** Worker phase: campaigns sent one after another by the same worker process. */
    repeat: { type: 'string', default: '1' },
  },
});

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main() {
  if (opts.provider !== 'outbox' && opts.provider !== 'sendgrid') throw new Error(`--provider: outbox or sendgrid, not ${opts.provider}`);
  const phases = new Set(opts.phases!.split(',').map((p) => p.trim()));
  for (const p of phases) if (!['worker', 'isolated', 'simulated'].includes(p)) throw new Error(`--phases: worker, isolated or simulated, not ${p}`);
  const client = subscriberClient(opts.client);
  const repeat = Number(opts.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: a whole number ≥ 1, not ${opts.repeat}`);
  const procs: { stop(): Promise<void> }[] = [];
  const compare = opts.compare !== 'no';
  const world = await openWorld(Number(opts.recipients));
  if (repeat > 1) await updateWorkspace(world.ctx, { settings: { frequencyCap: { maxMessages: 1000, minHoursBetween: 0 } } });
  console.log(`load average at start: ${loadAverage()}`);
  try {
    const redis = await startRedis();
    procs.push(redis);
    const env = { DATABASE_URL: world.databaseUrl, REDIS_URL: redis.url, PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production' };
    const responseCache = opts['response-cache'];
    const api = await startApi({ ...env, BENCH_RESPONSE_CACHE: responseCache === 'no' ? 'off' : 'on' });
    procs.push(api);
    // The same code with graphql-js, one execution per subscriber and no response cache: "before", in the same run.
    const before = compare ? await startApi({ ...env, BENCH_JIT: 'off', BENCH_SHARED_SUBSCRIPTIONS: 'off', BENCH_RESPONSE_CACHE: 'off' }) : null;
    if (before) procs.push(before);
    // Everything else as `api`, without the analytics response cache (for the dashboard only).
    const uncached = !opts['skip-dashboard'] && responseCache === 'compare' ? await startApi({ ...env, BENCH_RESPONSE_CACHE: 'off' }) : null;
    if (uncached) procs.push(uncached);

    if (!opts['skip-dashboard']) {
      await seedDashboard(world, 20, 2000);
      const seconds = Number(opts['dashboard-seconds']);
      const connections = Number(opts.connections);
      const dbPids = databasePids();
      // Each run also says where the CPU went, per request: the API process, MariaDB, Redis and
      // this process (autocannon) — on the same 2 cores as everything else.
      const run = async (on: { url: string; child: { pid?: number } }, query: string, s = seconds) => {
        const meter = cpuMeter({ api: () => [on.child.pid!], mariadb: () => dbPids, redis: () => [redis.pid], autocannon: () => [process.pid] });
        const r = await load({ url: on.url, key: world.key, query, variables: { first: 20 }, connections, seconds: s });
        return { r, cpu: meter.stop() };
      };
      // MariaDB serves other sessions' databases too: its CPU is shown as cores busy, not per request.
      const line = (label: string, { r, cpu }: { r: LoadResult; cpu: Record<string, number> }) => {
        const n = r.requestsPerSecond * seconds;
        const perRequest = ['api', 'redis', 'autocannon'].map((k) => `${k} ${fmt((cpu[k] * 1000) / n, 2)}`).join(', ');
        console.log(`${label.padEnd(64)} ${fmt(r.requestsPerSecond).padStart(6)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (non-2xx ${r.non2xx}, errors ${r.errors}; load ${r.load})`);
        console.log(`${''.padEnd(64)} CPU ms per request: ${perRequest}; MariaDB (all its databases) ${fmt(cpu.mariadb / seconds, 2)} cores`);
      };
      for (const p of [api, before, uncached]) if (p) await run(p, DASHBOARD_QUERY, 2); // warm-up (compiles, caches)
      if (before) line('campaignDashboard on graphql-js, no response cache (before):', await run(before, DASHBOARD_QUERY));
      if (uncached) line('campaignDashboard on graphql-jit, no response cache:', await run(uncached, DASHBOARD_QUERY));
      const cached = responseCache === 'no' ? 'no response cache' : 'response cache';
      line(`campaignDashboard (20 campaigns, variants, personas), ${cached}:`, await run(api, DASHBOARD_QUERY));
      line('same selection through campaigns (Prisma page):', await run(api, CAMPAIGNS_QUERY));
      line('baseline { __typename }, same run:', await run(api, '{ __typename }'));
      console.log(`goal: dashboard ≥ 1,000 req/s with p99 ≤ 50 ms (${connections} connections, ${seconds} s each)`);
    }
    if (uncached) {
      await uncached.stop(); // not needed by the live phases: its CPU and connections go back
      procs.splice(procs.indexOf(uncached), 1);
    }
    if (opts['skip-live']) return;

    const bridge = createPubSubBridge({ bus: world.core.bus, redisUrl: redis.url, log: world.core.log });
    while (bridge.mode() !== 'redis') await new Promise((r) => setTimeout(r, 50));
    const subscribers = Number(opts.subscribers);
    const phase = async (label: string, on: { url: string; child: { pid?: number } }, driver: Driver, otherPids: Record<string, number[]> = {}) => {
      const r = await runLivePhase({ label, world, apiUrl: on.url, apiPid: on.child.pid!, pubsub: bridge.pubsub, subscribers, processes: Number(opts['subscriber-processes']), client, driver, otherPids });
      printPhase(r, subscribers, opts['per-change']);
      return r;
    };
    console.log(`\n${fmt(subscribers)} WebSocket subscribers (in ${opts['subscriber-processes']} processes) per phase, one campaign of ${fmt(world.contacts)} recipients each`);
    const simulated: Driver = { kind: 'simulated', batch: Number(opts.batch), intervalMs: Number(opts.interval) };
    try {
      if (opts.driver === 'worker' && phases.has('worker')) {
        let worker: Proc | null = null;
        const workerEnv: Record<string, string> = { ...env, PERSONAE_DELIVERY_WORKSPACE: String(world.ctx.workspaceId), PERSONAE_DELIVERY_POLL_MS: '100' };
        let fakePids: Record<string, number[]> = {};
        if (opts.provider === 'sendgrid') {
          const fake = await startFakeSendGridProcess();
          procs.push({ stop: async () => fake.stop() });
          fakePids = { 'sendgrid fake': [fake.pid] };
          workerEnv.SENDGRID_API_BASE_URL = fake.url;
          await createIntegration(world.ctx, { kind: 'EMAIL_PROVIDER', key: 'sendgrid', name: 'SendGrid (fake)', isDefault: true, config: { apiKey: FAKE_SENDGRID_KEY, batchSize: 500, concurrency: 8 } });
        }
        const running = () => worker?.child.pid ?? 0;
        // --repeat: every campaign after the first goes to the same process, warm.
        const start = async () => {
          if (!worker) {
            worker = await startWorker(workerEnv);
            procs.push(worker);
          }
          return running();
        };
        const runs: PhaseResult[] = [];
        for (let i = 1; i <= repeat; i++) {
          const which = repeat === 1 ? '' : `, campaign ${i} of ${repeat}${i === 1 ? ' (cold worker)' : ' (warm worker)'}`;
          runs.push(await phase(`worker process sending (${opts.provider} provider)${which}`, api, { kind: 'worker', start, running }, fakePids));
        }
        if (repeat > 1) printRepeatSummary(runs);
        // The simulated phases below must not race the worker for their messages.
        await (worker as Proc | null)?.stop();
      }
      if (phases.has('isolated')) await phase('isolated changes (100 messages every 600 ms, 15 times)', api, { kind: 'simulated', batch: 100, intervalMs: 600, maxBatches: 15 });
      if (!phases.has('simulated')) return;
      if (before) await phase(`simulated sender, ${opts.batch} every ${opts.interval} ms — before: one execution per subscriber`, before, simulated);
      await phase(`simulated sender, ${opts.batch} every ${opts.interval} ms — shared execution`, api, simulated);
    } finally {
      await bridge.close();
    }
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await world.core.db.close();
  }
}

runMain(main);

// Where the API process spends a campaignStats update for N WebSocket subscribers: the app
// in this process (in-process pubsub, no Redis), the subscribers in child processes, changes
// announced on the bus every `--interval` ms, and the V8 profiler running only while ticks
// are processed. Prints CPU per tick (non-idle time / ticks), how long the API process's event
// loop was held at a time (a request or an announcement arriving meanwhile waits that long),
// and writes the profile.
//
//   npx tsx bench/live/fanout-profile.ts [--subscribers 1000] [--ticks 20] [--interval 500] [--out /tmp/fanout.cpuprofile] [--profile no]
//                                        [--client lean|graphql-ws]
//
// `--profile no` leaves the profiler off: the CPU per tick without its sampling overhead.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createApp } from '../../api/app';
import { loadConfig } from '../../api/config';
import { listen } from '../../api/server';
import { createLogger } from '../../core/logger';
import personae from '../../personae.config';
import { launchLiveCampaign, openWorld } from './bench-data';
import { connectSubscribers, subscriberClient } from './live-subscribers';
import { cpuSeconds } from '../process-cpu';
import { runMain } from '../run-main';

/** CPU (ms, user + system) of processes so far. */
const cpuMsOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid) * 1000, 0);

/** A histogram's nanoseconds as milliseconds. */
const ms = (ns: number) => (ns / 1e6).toFixed(1);

const { values: opts } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    ticks: { type: 'string', default: '20' },
    interval: { type: 'string', default: '500' },
    shared: { type: 'string', default: 'on' },
    out: { type: 'string', default: '/tmp/fanout.cpuprofile' },
    profile: { type: 'string', default: 'yes' },
    client: { type: 'string', default: 'lean' },
  },
});

async function main() {
  const world = await openWorld(100);
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production', RATE_LIMIT_PER_MINUTE: '1000000', DEMO_SEED: 'false', WORKERS_IN_PROCESS: 'false' });
  const app = await createApp({ config, databaseUrl: world.databaseUrl, plugins: personae.plugins, log: createLogger({ level: 'warn' }), execution: { sharedSubscriptions: opts.shared !== 'off' } });
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  const campaignId = await launchLiveCampaign(world);
  const subs = await connectSubscribers({ url: server.url, key: world.key, campaignId: encodeGlobalID('Campaign', String(campaignId)), count: Number(opts.subscribers), client: subscriberClient(opts.client) });
  subs.arm();
  const session = new Session();
  session.connect();
  const profiling = opts.profile !== 'no';
  if (profiling) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  const clients0 = cpuMsOf(subs.pids);
  const t0 = performance.now();
  for (let i = 0; i < Number(opts.ticks); i++) {
    app.core.events.emit('analytics.rollups.changed', { workspaceId: world.ctx.workspaceId, campaignIds: [campaignId] });
    await new Promise((r) => setTimeout(r, Number(opts.interval)));
  }
  const cpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  const clients = cpuMsOf(subs.pids) - clients0;
  const wall = performance.now() - t0;
  if (profiling) writeFileSync(opts.out!, JSON.stringify((await session.post('Profiler.stop')).profile));
  const ticks = Number(opts.ticks);
  console.log(`${opts.subscribers} subscribers, ${ticks} ticks, shared execution ${opts.shared}: API process CPU ${((cpu.user + cpu.system) / 1000 / ticks).toFixed(1)} ms per tick (user ${(cpu.user / 1000 / ticks).toFixed(1)}, system ${(cpu.system / 1000 / ticks).toFixed(1)}) over ${(wall / 1000).toFixed(1)} s; subscriber processes ${(clients / ticks).toFixed(1)} ms per tick; event loop delay p50 ${ms(loopDelay.percentile(50))}, p99 ${ms(loopDelay.percentile(99))}, max ${ms(loopDelay.max)} ms${profiling ? `; profile in ${opts.out}` : ''}`);
  await subs.close([]);
  await server.close(1000);
  await app.close();
  await world.core.db.close();
}

runMain(main);

// The dashboard query's cost per request inside one process (no HTTP, no autocannon): yoga.fetch
// in a loop, `--concurrency` requests in flight, on graphql-jit and on graphql-js. For finding
// where the time goes (`node --cpu-prof --require tsx/cjs bench/live/dashboard-inprocess.bench.ts`).
//
//   NODE_ENV=production npx tsx bench/live/dashboard-inprocess.bench.ts [--requests 2000] [--concurrency 10] [--only jit|js] [--query dashboard|campaigns]
// (NODE_ENV=production as deployed: graphql-js checks every instanceof otherwise.) `--profile /tmp/x`
// writes the V8 profile of the measured dashboard requests only. `--query campaigns` measures the
// same selection through the generic `campaigns` connection instead.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createApp, type App } from '../../api/app';
import { loadConfig } from '../../api/config';
import { createLogger } from '../../core/logger';
import personae from '../../personae.config';
import { openWorld, seedDashboard } from './bench-data';
import { CAMPAIGNS_QUERY, DASHBOARD_QUERY } from './dashboard-load';
import { runMain } from '../run-main';

const { values: opts } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '10' }, only: { type: 'string' }, profile: { type: 'string' }, query: { type: 'string', default: 'dashboard' } } });
const QUERY = opts.query === 'campaigns' ? CAMPAIGNS_QUERY : DASHBOARD_QUERY;

/** Milliseconds of this process's CPU per request. */
async function run(app: App, key: string, requests: number, concurrency: number, query = QUERY): Promise<number> {
  const body = JSON.stringify({ query, variables: { first: 20 } });
  let left = requests;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const res = await app.yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
        const text = await res.text();
        if (res.status !== 200 || text.includes('"errors"')) throw new Error(text.slice(0, 500));
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / requests;
}

async function main() {
  const world = await openWorld(2000);
  await seedDashboard(world, 20, 2000);
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', PERSONAE_SECRET_KEY: 'test-secret-key-not-for-production', RATE_LIMIT_PER_MINUTE: '1000000', DEMO_SEED: 'false', WORKERS_IN_PROCESS: 'false' });
  const log = createLogger({ level: 'warn' });
  const n = Number(opts.requests);
  const c = Number(opts.concurrency);
  for (const jit of opts.only ? [opts.only === 'jit'] : [false, true]) {
    // Execution is what this measures: without the response cache, which would answer every request after the first.
    const app = await createApp({ config, databaseUrl: world.databaseUrl, plugins: personae.plugins, log, execution: { jit, responseCache: false } });
    await run(app, world.key, 200, c); // warm-up
    const session = opts.profile ? new Session() : null;
    session?.connect();
    await session?.post('Profiler.enable');
    await session?.post('Profiler.start');
    const ms = await run(app, world.key, n, c);
    if (session) writeFileSync(`${opts.profile}.${jit ? 'jit' : 'js'}.cpuprofile`, JSON.stringify((await session.post('Profiler.stop')).profile));
    const ceiling = await run(app, world.key, n, c, '{ __typename }');
    console.log(`${jit ? 'graphql-jit' : 'graphql-js '}: ${opts.query} ${ms.toFixed(3)} ms of CPU per request (${Math.round(1000 / ms)} req/s per core); { __typename } ${ceiling.toFixed(3)} ms (this process only: MariaDB's share is not counted)`);
    await app.close();
  }
  await world.core.db.close();
}

runMain(main);

// bench/ingest: N events through POST /v1/batch of a real server process, and the same rows
// through a bare mysql2 multi-row INSERT into the same table, in the same run.
//
//   npx tsx bench/ingest/ingest.bench.ts [--events 1000000] [--batch 1000] [--concurrency 4]
//
// Uses its own database (personae_bench_ingest) on the same server as `npm start` would: an
// events table that other benchmarks filled with millions of rows (and whose indexes then no
// longer fit the buffer pool) would measure those rows, not ingestion. Both runs start from an
// empty events table; the server's innodb_buffer_pool_size is printed.
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { RowDataPacket } from 'mysql2/promise';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { resolveDatabase } from '../../scripts/db/local-database';
import { migrate } from '../../scripts/db/migration-runner';
import { openDatabase } from '../../core/db/database';
import { createLogger } from '../../core/logger';
import { DomainEventBus } from '../../core/domain-event-bus';
import { createExtensions } from '../../core/extensions/extensions';
import { SecretBox } from '../../core/security/secret-box';
import type { CoreContext } from '../../core/context';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { createInitialApiKey } from '../../core/workspaces/api-keys';
import { chunk } from '../../core/db/sql-helpers';
import { cpuMeter, databasePids } from '../process-cpu';

// CPU is where a 2-core box's time goes: each process's share is printed beside the rates.
const fmtCpu = (cpu: Record<string, number>, seconds: number) =>
  Object.entries(cpu).map(([k, v]) => `${k} ${(v / seconds).toFixed(2)}`).join(', ');

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
    users: { type: 'string', default: '20000' },
  },
});
const TOTAL = Number(opts.events);
const BATCH = Number(opts.batch);
const CONCURRENCY = Number(opts.concurrency);
const USERS = Number(opts.users);

// The stream is made of sessions, as real traffic is: 8 events from one user within a few
// minutes (page view, product views, cart, sometimes a purchase), sessions spread over
// 30 days and over USERS users.
const SESSION = 8;
const SPAN_MS = 30 * 86400_000;

function message(i: number, run: string) {
  const session = Math.floor(i / SESSION);
  const step = i % SESSION;
  const user = (session * 7919) % USERS; // a fixed permutation: users recur across the month
  const start = Date.UTC(2026, 9, 1) + Math.floor((session * SPAN_MS) / Math.ceil(TOTAL / SESSION));
  const type = step === 0 ? 'page_view' : step === SESSION - 1 && session % 3 === 0 ? 'purchase' : step === SESSION - 2 ? 'add_to_cart' : 'product_view';
  return {
    type: 'track',
    userId: `user-${user}`,
    event: type,
    messageId: `${run}-${i}`,
    timestamp: new Date(start + step * 45_000).toISOString(),
    properties: { category: ['home', 'fashion', 'books'][i % 3], sku: `SKU-${i % 500}`, ...(type === 'purchase' ? { revenue: (i % 200) + 0.99 } : {}) },
  };
}

/** TRUNCATE, not DELETE: this database is the bench's own, and deleting 2M rows takes minutes. */
async function emptyEvents(database: ReturnType<typeof openDatabase>): Promise<void> {
  await database.sql.query('TRUNCATE TABLE events');
}

async function main() {
  const log = createLogger({ level: 'warn' });
  const db = await resolveDatabase({ databaseName: 'personae_bench_ingest' });
  await migrate(db.url);
  const database = openDatabase(db.url);
  await emptyEvents(database);
  const core: CoreContext = { db: database, events: new DomainEventBus(log), extensions: createExtensions(), secrets: new SecretBox('bench-secret-key-0000'), log, now: () => new Date() };
  const ws = await createWorkspace(core, { name: 'ingest bench' });
  const { secret } = await createInitialApiKey(core, ws.id, 'bench', 'WRITE');

  const port = 4400 + Math.floor(Math.random() * 500);
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server process.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, '--require', 'tsx/cjs', path.resolve(__dirname, '../../api/main.ts')], {
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), DEMO_SEED: 'false', WORKERS_IN_PROCESS: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', DATABASE_POOL_SIZE: '8' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (i > 200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }

  // --- through the API ---
  const run = `r${Date.now()}`;
  const bodies = chunk(Array.from({ length: Math.ceil(TOTAL / BATCH) }, (_, b) => b), 1).map(([b]) => b);
  const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
  let next = 0;
  let accepted = 0;
  const apiCpu = cpuMeter({ bench: () => [process.pid], api: () => [server.pid!], database: databasePids });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const b = bodies[next++];
        const batch = Array.from({ length: Math.min(BATCH, TOTAL - b * BATCH) }, (_, k) => message(b * BATCH + k, run));
        const res = await request(`${base}/v1/batch`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ batch }),
        });
        const json = (await res.body.json()) as { accepted: number; rejected: unknown[] };
        if (res.statusCode !== 200 || json.rejected.length) throw new Error(`batch failed: ${res.statusCode} ${JSON.stringify(json).slice(0, 300)}`);
        accepted += json.accepted;
      }
    }),
  );
  const apiSeconds = (performance.now() - t0) / 1000;
  const apiCpuUsed = apiCpu.stop();
  server.kill('SIGTERM');

  // --- baseline: the same rows, bare multi-row INSERT, same concurrency, same table ---
  const baseWs = await createWorkspace(core, { name: 'ingest baseline' });
  const contactRows = Array.from({ length: USERS }, (_, u) => [baseWs.id, `user-${u}`, new Date(), new Date()]);
  for (const part of chunk(contactRows, 5000)) {
    await database.sql.query('INSERT INTO contacts (workspace_id, external_id, created_at, updated_at) VALUES ?', [part]);
  }
  const [contacts] = await database.sql.query<import('mysql2/promise').RowDataPacket[]>('SELECT id, external_id FROM contacts WHERE workspace_id = ?', [baseWs.id]);
  const idOf = new Map(contacts.map((c) => [c.external_id as string, c.id as number]));
  let bnext = 0;
  const sqlCpu = cpuMeter({ bench: () => [process.pid], database: databasePids });
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (bnext < bodies.length) {
        const b = bodies[bnext++];
        const now = new Date();
        const rows = Array.from({ length: Math.min(BATCH, TOTAL - b * BATCH) }, (_, k) => {
          const m = message(b * BATCH + k, `${run}b`);
          const props = m.properties as Record<string, unknown>;
          return [baseWs.id, idOf.get(m.userId), m.event, JSON.stringify(props), props.revenue ?? null, new Date(m.timestamp), now, 'segment', m.messageId];
        });
        await database.sql.query('INSERT IGNORE INTO events (workspace_id, contact_id, type, properties, value, occurred_at, received_at, source, idempotency_key) VALUES ?', [rows]);
      }
    }),
  );
  const sqlSeconds = (performance.now() - t1) / 1000;
  const sqlCpuUsed = sqlCpu.stop();

  const apiRate = TOTAL / apiSeconds;
  const sqlRate = TOTAL / sqlSeconds;
  console.log(`events: ${TOTAL} in sessions of ${SESSION} over 30 days, ${USERS} users; batch ${BATCH}, concurrency ${CONCURRENCY}`);
  console.log(`api /v1/batch: ${Math.round(apiRate)} events/s (${apiSeconds.toFixed(1)} s, accepted ${accepted})`);
  console.log(`baseline mysql2 multi-row INSERT: ${Math.round(sqlRate)} events/s (${sqlSeconds.toFixed(1)} s)`);
  console.log(`ratio api/baseline: ${(apiRate / sqlRate).toFixed(2)}`);
  console.log(`cores busy (CPU s / wall s): api run: ${fmtCpu(apiCpuUsed, apiSeconds)}; baseline: ${fmtCpu(sqlCpuUsed, sqlSeconds)}`);
  const [[pool]] = await database.sql.query<RowDataPacket[]>('SELECT @@innodb_buffer_pool_size / 1048576 AS mb');
  console.log(`innodb_buffer_pool_size ${Number(pool.mb)} MB; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // Leave the bench database empty for the next run.
  await emptyEvents(database);
  await database.sql.query('DELETE FROM workspaces WHERE id IN (?, ?)', [ws.id, baseWs.id]);
  await agent.close();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

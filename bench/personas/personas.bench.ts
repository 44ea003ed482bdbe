// bench/personas: full profile recomputation, a three-condition persona refresh beside a
// hand-written SQL query giving the same members, and k-means (k=6) on 100,000 contacts × 8
// features, on 200,000 contacts and 2,000,000 events.
//
//   npx tsx bench/personas/personas.bench.ts [--contacts 200000] [--events 2000000] [--repeat 3] [--buffer-pool 1024|keep]
//
// Uses the personae_bench database on the same server as `npm start` (data is generated once
// with multi-row INSERTs and reused). Figures are wall-clock medians of --repeat runs, with the
// range. --buffer-pool sets innodb_buffer_pool_size (MB) for the run and restores it after
// (default 1024, a usual production setting for this data size; 'keep' leaves the server's);
// the value is printed. The code does not depend on it.
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { RowDataPacket } from 'mysql2/promise';
import { resolveDatabase } from '../../scripts/db/local-database';
import { migrate } from '../../scripts/db/migration-runner';
import { createCoreServices } from '../../api/core-services';
import { createLogger } from '../../core/logger';
import type { WorkspaceContext } from '../../core/context';
import { computeProfiles } from '../../core/profiles/compute-profiles';
import { createPersona } from '../../core/personas/personas.service';
import { refreshPersona } from '../../core/personas/persona-refresh';
import { loadRuleEnv } from '../../core/personas/rule-env';
import { checkRule } from '../../core/personas/rule-check';
import { discoverPersonas } from '../../core/clustering/discover-personas';
import { resolveFeatures } from '../../core/clustering/cluster-features';
import { loadFeatureMatrix, standardise } from '../../core/clustering/feature-matrix';
import { sampledSilhouette } from '../../core/clustering/silhouette';
import { kmeans } from '../../core/clustering/kmeans';
import { mulberry32 } from '../../core/random/seeded-random';
import { benchWorkspace } from './bench-data';
import { bufferPoolMb, dataShape, holdBufferPool } from './bench-server';

const { values: opts } = parseArgs({
  options: {
    contacts: { type: 'string', default: '200000' },
    events: { type: 'string', default: '2000000' },
    repeat: { type: 'string', default: '3' },
    'buffer-pool': { type: 'string', default: '1024' },
  },
});
const REPEAT = Number(opts.repeat);
const NOW = new Date('2026-11-01T12:00:00Z');
const DAY = 86_400_000;

const RULE = {
  and: [
    { profile: { field: 'monetaryTotal', op: 'GTE', value: 500 } },
    { event: { type: 'purchase', where: [{ property: 'category', op: 'EQ', value: 'shoes' }], within: 'P30D', count: { op: 'GTE', value: 2 } } },
    { attribute: { key: 'region', op: 'IN', value: ['north', 'west'] } },
  ],
};

/** The same members, written by hand as one would without the rule compiler. */
const HAND_SQL = `
  SELECT c.id FROM contacts c
    JOIN contact_profiles p ON p.contact_id = c.id
    JOIN (SELECT contact_id FROM events
           WHERE workspace_id = ? AND type = 'purchase' AND occurred_at > ? AND JSON_VALUE(properties, '$.category') = 'shoes'
           GROUP BY contact_id HAVING COUNT(*) >= 2) e ON e.contact_id = c.id
   WHERE c.workspace_id = ? AND p.monetary_total >= 500 AND JSON_VALUE(c.attributes, '$.region') IN ('north', 'west')
   ORDER BY c.id`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result };
}

/** Median of REPEAT runs (`fn` gets the run's index), with the range. */
async function median<T>(fn: (run: number) => Promise<T>): Promise<{ ms: number; range: string; result: T }> {
  const runs: { ms: number; result: T }[] = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await timed(() => fn(i)));
  runs.sort((a, b) => a.ms - b.ms);
  const range = runs.length > 1 ? `[${(runs[0].ms / 1000).toFixed(2)}–${(runs[runs.length - 1].ms / 1000).toFixed(2)}]` : '';
  return { ...runs[Math.floor(runs.length / 2)], range };
}

const line = (label: string, ms: number, note = '') => console.log(`${label.padEnd(60)} ${(ms / 1000).toFixed(3).padStart(8)} s${note ? `  ${note}` : ''}`);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  const log = createLogger({ level: 'warn' });
  const db = await resolveDatabase({ databaseName: 'personae_bench' });
  await migrate(db.url);
  const core = createCoreServices({ databaseUrl: db.url, secretKey: 'bench-secret-key-not-for-production', log, poolSize: 4 });
  const pool = await holdBufferPool(core, opts['buffer-pool']!, (s) => console.log(s));
  try {
    const base = await benchWorkspace(core, { contacts: Number(opts.contacts), events: Number(opts.events), now: NOW, log: (s) => console.error(s) });
    const ctx: WorkspaceContext = { ...base, now: () => NOW };
    const ws = ctx.workspaceId;
    console.log(`# bench/personas: ${opts.contacts} contacts, ${opts.events} events, median of ${REPEAT} [range]; load average ${load()}`);
    for (const s of await dataShape(core, ws)) console.log(`# ${s}`);

    // Profiles, against a single GROUP BY pass over the same events as the floor.
    await pool.check('profiles');
    const floor = await median(() => core.db.sql.query('SELECT contact_id, COUNT(*), MAX(occurred_at), SUM(value) FROM events USE INDEX (events_workspace_type_time_idx) WHERE workspace_id = ? GROUP BY contact_id', [ws]));
    // First computation: nothing stored yet, so every row is an insert (the most writing).
    for (const table of ['contact_profiles', 'contact_event_counts', 'contact_interests']) await core.db.sql.query(`DELETE FROM ${table} WHERE workspace_id = ?`, [ws]);
    const scratch = await timed(() => computeProfiles(ctx, { asOf: new Date(NOW.getTime() - REPEAT * DAY) }));
    // Then one run a day later each time, ending at NOW: windows slide and the last day's events
    // arrive, so counts, recency, stages and some interests change (a daily refresh).
    const profiles = await median((run) => computeProfiles(ctx, { asOf: new Date(NOW.getTime() - (REPEAT - 1 - run) * DAY) }));
    line('profile compute, no stored profiles (all rows inserted)', scratch.ms, `${scratch.result.contacts} profiles`);
    line('profile recompute, a day after the previous run', profiles.ms, `${profiles.range}; ratio to baseline ${(profiles.ms / floor.ms).toFixed(1)}`);
    line('  baseline: one GROUP BY pass over events', floor.ms, floor.range);

    // Persona refresh versus the hand-written query, with the same members checked.
    await pool.check('persona refresh');
    await core.db.sql.query('DELETE FROM personas WHERE workspace_id = ?', [ws]);
    const first = await timed(() => createPersona(ctx, { slug: 'bench-three-conditions', name: 'Bench', rule: RULE }));
    const personaId = first.result.persona.id;
    const hand = await median(() => core.db.sql.query<RowDataPacket[]>(HAND_SQL, [ws, new Date(NOW.getTime() - 30 * DAY), ws]));
    const refresh = await median(() => refreshPersona(ctx, personaId));
    const [members] = await core.db.sql.query<RowDataPacket[]>('SELECT contact_id FROM persona_members WHERE persona_id = ? ORDER BY contact_id', [personaId]);
    const same = JSON.stringify(members.map((r) => r.contact_id)) === JSON.stringify(hand.result[0].map((r) => r.id));
    line('persona refresh, 3 conditions (steady state)', refresh.ms, `${refresh.range}; ${refresh.result.size} members; ratio to hand SQL ${(refresh.ms / hand.ms).toFixed(2)}`);
    line('  baseline: hand-written SQL, same members', hand.ms, `${hand.range}; ${hand.result[0].length} rows; same members: ${same}`);
    line('persona create + first refresh (all enter)', first.ms, `ratio to hand SQL ${(first.ms / hand.ms).toFixed(2)}`);
    if (!same) process.exitCode = 1;

    // K-means k=6 on 100k contacts × 8 profile features: end to end, then its parts alone.
    await pool.check('k-means');
    const features = ['recency', 'frequency', 'monetary', 'averageOrderValue', 'sessions', 'events30d', 'events90d', 'tenureDays'];
    const population = { attribute: { key: 'cohort', op: 'EQ', value: 'a' } };
    const discover = await median(() => discoverPersonas(ctx, { k: 6, features, nInit: 10, population }));
    line('discoverPersonas k=6, 10 restarts (end to end)', discover.ms, `${discover.range}; ${discover.result.contacts} contacts × ${features.length}, inertia ${discover.result.inertia.toFixed(0)}`);
    const one = await median(() => discoverPersonas(ctx, { k: 6, features, nInit: 1, population }));
    line('  same with 1 restart', one.ms, one.range);
    const env = await loadRuleEnv(ctx);
    const defs = resolveFeatures(features, env.attributes, ['features']).features;
    const pop = checkRule(population, env, ['population']).rule;
    const matrix = await median(() => loadFeatureMatrix(ctx, { features: defs, population: pop, env }));
    line('  of which: feature matrix (one SQL read, impute, log1p)', matrix.ms, matrix.range);
    const { x, n, d } = matrix.result;
    const scaled = await median(async () => standardise(x.slice(), n, d));
    standardise(x, n, d);
    line('  of which: standardise', scaled.ms, scaled.range);
    const algo = await median(async () => kmeans(x, n, d, 6, { nInit: 10 }));
    line('  of which: kmeans() 10 restarts on that matrix', algo.ms, `${algo.range}; ${algo.result.iterations} iterations in the best run`);
    const silhouette = await median(async () => sampledSilhouette(x, n, d, algo.result.labels, 6, 2000, 0));
    line('  of which: silhouette on a 2,000-contact sample', silhouette.ms, silhouette.range);
    const synthetic = syntheticMatrix(100_000, 8, 6);
    const blobs = await median(async () => kmeans(synthetic, 100_000, 8, 6, { nInit: 10 }));
    line('kmeans() alone, 100k × 8 synthetic blobs, k=6, 10 restarts', blobs.ms, `${blobs.range}; ${blobs.result.iterations} iterations in the best run`);
    console.log(`# load average at the end ${load()}; innodb_buffer_pool_size ${await bufferPoolMb(core)} MB`);
  } finally {
    await pool.restore().catch((err: unknown) => console.error('could not restore the buffer pool size', err));
    await core.db.close();
  }
}

function syntheticMatrix(n: number, d: number, k: number): Float64Array {
  const rand = mulberry32(7);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rand() * 6 - 3));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = centres[i % k][j] + (rand() + rand() + rand() - 1.5);
  return x;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

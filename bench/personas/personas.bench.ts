// bench/personas: full profile recomputation, a three-condition persona refresh beside a
// hand-written SQL query giving the same members, and k-means (k=6) on 100,000 contacts × 8
// features, on 200,000 contacts and 2,000,000 events.
//
//   npx tsx bench/personas/personas.bench.ts [--contacts 200000] [--events 2000000] [--repeat 3]
//
// Uses the personae_bench database on the same server as `npm start` (data is generated once
// with multi-row INSERTs and reused). Figures are wall-clock medians of --repeat runs.
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
import { discoverPersonas } from '../../core/clustering/discover-personas';
import { kmeans, mulberry32 } from '../../core/clustering/kmeans';
import { benchWorkspace } from './bench-data';

const { values: opts } = parseArgs({
  options: {
    contacts: { type: 'string', default: '200000' },
    events: { type: 'string', default: '2000000' },
    repeat: { type: 'string', default: '3' },
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

async function median<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const runs: { ms: number; result: T }[] = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await timed(fn));
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

const line = (label: string, ms: number, note = '') => console.log(`${label.padEnd(52)} ${(ms / 1000).toFixed(3).padStart(8)} s${note ? `  ${note}` : ''}`);

async function main() {
  const log = createLogger({ level: 'warn' });
  const db = await resolveDatabase({ databaseName: 'personae_bench' });
  await migrate(db.url);
  const core = createCoreServices({ databaseUrl: db.url, secretKey: 'bench-secret-key-not-for-production', log, poolSize: 4 });
  try {
    const base = await benchWorkspace(core, { contacts: Number(opts.contacts), events: Number(opts.events), now: NOW, log: (s) => console.error(s) });
    const ctx: WorkspaceContext = { ...base, now: () => NOW };
    const ws = ctx.workspaceId;
    console.log(`# bench/personas: ${opts.contacts} contacts, ${opts.events} events, median of ${REPEAT}`);

    // Profiles, against a single GROUP BY pass over the same events as the floor.
    // (With the same index hint the profile statements use; unhinted, this plan is 20× slower here.)
    const floor = await median(() => core.db.sql.query('SELECT contact_id, COUNT(*), MAX(occurred_at), SUM(value) FROM events USE INDEX (events_workspace_type_time_idx) WHERE workspace_id = ? GROUP BY contact_id', [ws]));
    const profiles = await median(() => computeProfiles(ctx));
    line('profile recompute (all contacts)', profiles.ms, `${profiles.result.contacts} profiles`);
    line('  baseline: one GROUP BY pass over events', floor.ms, `ratio ${(profiles.ms / floor.ms).toFixed(1)}`);

    // Persona refresh versus the hand-written query, with the same members checked.
    await core.db.sql.query('DELETE FROM personas WHERE workspace_id = ?', [ws]);
    const first = await timed(() => createPersona(ctx, { slug: 'bench-three-conditions', name: 'Bench', rule: RULE }));
    const personaId = first.result.persona.id;
    const hand = await median(() => core.db.sql.query<RowDataPacket[]>(HAND_SQL, [ws, new Date(NOW.getTime() - 30 * DAY), ws]));
    const refresh = await median(() => refreshPersona(ctx, personaId));
    const [members] = await core.db.sql.query<RowDataPacket[]>('SELECT contact_id FROM persona_members WHERE persona_id = ? ORDER BY contact_id', [personaId]);
    const same = JSON.stringify(members.map((r) => r.contact_id)) === JSON.stringify(hand.result[0].map((r) => r.id));
    line('persona refresh, 3 conditions (steady state)', refresh.ms, `${refresh.result.size} members; ratio to hand SQL ${(refresh.ms / hand.ms).toFixed(2)}`);
    line('  baseline: hand-written SQL, same members', hand.ms, `${hand.result[0].length} rows; same members: ${same}`);
    line('persona create + first refresh (all enter)', first.ms, `ratio to hand SQL ${(first.ms / hand.ms).toFixed(2)}`);
    if (!same) process.exitCode = 1;

    // K-means k=6 on 100k contacts × 8 profile features, end to end and the algorithm alone.
    const features = ['recency', 'frequency', 'monetary', 'averageOrderValue', 'sessions', 'events30d', 'events90d', 'tenureDays'];
    const population = { attribute: { key: 'cohort', op: 'EQ', value: 'a' } };
    const discover = await median(() => discoverPersonas(ctx, { k: 6, features, nInit: 10, population }));
    line('discoverPersonas k=6, 10 restarts (load + cluster + store)', discover.ms, `${discover.result.contacts} contacts × ${features.length}, inertia ${discover.result.inertia.toFixed(0)}`);
    const one = await median(() => discoverPersonas(ctx, { k: 6, features, nInit: 1, population }));
    line('  baseline: same with 1 restart', one.ms);
    const synthetic = syntheticMatrix(100_000, 8, 6);
    const algo = await median(async () => kmeans(synthetic, 100_000, 8, 6, { nInit: 10 }));
    line('kmeans() alone, 100k × 8 synthetic, k=6, 10 restarts', algo.ms, `${algo.result.iterations} iterations in the best run`);
  } finally {
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

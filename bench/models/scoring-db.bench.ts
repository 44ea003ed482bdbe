// bench/models: scoring end to end in the database, the figure users see. A workspace of N
// contacts with a year of events and newsletters (bench/models/scoring-data.ts, reused across
// runs), a purchase-30d model trained on it through core, then scoreTarget: features walked in
// pages of contacts, predict, upsert into contact_scores. Printed beside the parts measured
// alone in the same run, and a hand-written single pass over the workspace's events as the baseline.
//
//   npx tsx bench/models/scoring-db.bench.ts [--contacts 200000] [--events 2000000] [--runs 3]
//       [--buffer-pool-mb 1024] [--database personae_bench_models]
//
// --buffer-pool-mb sets innodb_buffer_pool_size (a global, dynamic in MariaDB 10.11) for the
// run and restores it afterwards; without it the server's own setting is used. Either way the
// value is printed. The code does not depend on it.
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { RowDataPacket } from 'mysql2/promise';
import { forWorkspace, type CoreContext } from '../../core/context';
import { defineModelTarget, getModelTarget } from '../../core/models/model-targets';
import { planTraining } from '../../core/models/training-plan';
import { runTraining } from '../../core/models/training-run';
import { workspaceFeatures, type ContactFeatures } from '../../core/models/feature-extraction';
import { getActiveModel } from '../../core/models/model-registry';
import { scoreTarget } from '../../core/models/scoring';
import { writeScores } from '../../core/models/score-writer';
import { backendName } from '../../plugins/tfjs-propensity/tfjs-backend';
import { benchCore } from './bench-core';
import { scoringBenchData } from './scoring-data';
import { workspacePassBaseline } from './workspace-pass-baseline';

const { values: opts } = parseArgs({
  options: {
    contacts: { type: 'string', default: '200000' },
    events: { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '3' },
    'buffer-pool-mb': { type: 'string' },
    database: { type: 'string', default: 'personae_bench_models' },
  },
});
const N = Number(opts.contacts);
const DAY = 86_400_000;
const seconds = (t: number) => (performance.now() - t) / 1000;
const load = () => `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;

async function main() {
  const core = await benchCore(opts.database);
  const restorePool = await setBufferPool(core, opts['buffer-pool-mb']);
  try {
    await run(core);
  } finally {
    await restorePool();
    await core.db.close();
  }
}

async function run(core: CoreContext) {
  console.log(load());
  const data = await scoringBenchData(core, { contacts: N, events: Number(opts.events), log: (s) => console.log(`  ${s}`) });
  const { ctx } = data;
  console.log(`data: ${data.contacts} contacts, ${data.events} events over a year (page views, product views, carts, purchases), ${data.messageEvents} email opens and clicks`);
  console.log(`tables: ${await tableSizes(core)}; innodb_buffer_pool_size ${await bufferPoolMb(core)} MB`);

  if (!(await getModelTarget(ctx, 'purchase-30d').catch(() => null))) await defineModelTarget(ctx, { kind: 'PURCHASE', horizonDays: 30 });
  // A new seed per invocation: the new version's scores differ from the stored ones in every
  // row, as after a real retraining (the same seed and data would reproduce them exactly).
  const versions = await core.db.prisma.propensityModel.count({ where: { workspaceId: ctx.workspaceId } });
  const t1 = performance.now();
  const plan = await planTraining(ctx, { target: 'purchase-30d', seed: 42 + versions });
  const result = await runTraining(ctx, { plan });
  console.log(`training end to end (2 snapshots of ${plan.counts.train.rows}/${plan.counts.validation.rows} contacts, SQL features, MLP + baseline on ${await backendName()}): ${seconds(t1).toFixed(1)} s, validation ROC AUC ${result.metrics.rocAuc.toFixed(4)} (baseline ${result.baselineMetrics.rocAuc.toFixed(4)})`);

  for (let i = 1; i <= Number(opts.runs); i++) {
    // Run 1 follows the activation; later runs are the next days' refreshes: the clock moves a
    // day per run, so recency and the 7/30/90-day windows shift and most scores change.
    const day = forWorkspace({ ...core, now: () => new Date(Date.now() + (i - 1) * DAY) }, ctx.workspaceId);
    const before = load();
    const t = performance.now();
    const scored = await scoreTarget(day, { target: 'purchase-30d' });
    const s = seconds(t);
    const what = i === 1 ? 'after activating the new version: every row changes' : `refresh ${i - 1} day${i > 2 ? 's' : ''} later`;
    console.log(`scoring end to end, run ${i} (${what}): ${Math.round(scored.scored / s)} contacts/s (${scored.scored} in ${s.toFixed(2)} s; goal ≥ 50000; ${before})`);
  }

  // The parts alone, same data and model.
  const target = await getModelTarget(ctx, 'purchase-30d');
  const active = await getActiveModel(ctx, target);
  const model = core.extensions.models.get(active.modelKey)!;
  const t3 = performance.now();
  const pages: ContactFeatures[] = [];
  for await (const page of workspaceFeatures(ctx, { spec: active.featureSpec, cutoff: new Date() })) pages.push(page);
  const s3 = seconds(t3);
  console.log(`  of which feature walk alone: ${Math.round(N / s3)} contacts/s (${s3.toFixed(2)} s, ${pages[0].features.cols} features)`);
  await model.predict({ artifact: active.artifact, features: pages[0].features });
  const t4 = performance.now();
  const scores = [];
  for (const page of pages) scores.push(await model.predict({ artifact: active.artifact, features: page.features }));
  console.log(`  of which predict alone: ${Math.round(N / seconds(t4))} contacts/s`);
  const t5 = performance.now();
  const at = new Date();
  for (let i = 0; i < pages.length; i++) await writeScores(ctx, { modelId: active.id, target: target.key, scoredAt: at, contactIds: pages[i].contactIds, scores: scores[i] });
  console.log(`  of which writing scores alone: ${Math.round(N / seconds(t5))} rows/s (${seconds(t5).toFixed(2)} s)`);
  const base = await workspacePassBaseline(ctx, { cutoff: new Date(), lookbackDays: active.featureSpec.lookbackDays });
  console.log(`baseline, one GROUP BY pass over the workspace's events through (workspace_id, type, occurred_at) + primary key, behaviour aggregates only: ${Math.round(N / base.seconds)} contacts/s (${base.seconds.toFixed(2)} s, ${base.contacts} contacts with events)`);
  console.log(load());
}

async function tableSizes(core: CoreContext): Promise<string> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT table_name AS t, ROUND(data_length / 1048576) AS data_mb, ROUND(index_length / 1048576) AS index_mb FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_name IN ('contacts', 'events', 'message_events', 'contact_scores') ORDER BY table_name`,
  );
  return rows.map((r) => `${r.t} ${r.data_mb} MB + ${r.index_mb} MB indexes`).join(', ');
}

async function bufferPoolMb(core: CoreContext): Promise<number> {
  const [[row]] = await core.db.sql.query<RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS size');
  return Math.round(Number(row.size) / 1048576);
}

/** Sets the buffer pool for the run (when asked) and returns how to put it back. */
async function setBufferPool(core: CoreContext, mb: string | undefined): Promise<() => Promise<void>> {
  if (!mb) return async () => {};
  const original = await bufferPoolMb(core);
  const resize = async (to: number) => {
    await core.db.sql.query(`SET GLOBAL innodb_buffer_pool_size = ${to * 1048576}`);
    // The resize runs in the background; wait for it so the run measures the new size.
    for (let i = 0; i < 600; i++) {
      const [[s]] = await core.db.sql.query<RowDataPacket[]>("SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'");
      if (!s || !/resiz|withdraw|allocat/i.test(String(s.Value)) || /completed/i.test(String(s.Value))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await resize(Number(mb));
  console.log(`innodb_buffer_pool_size set to ${await bufferPoolMb(core)} MB for this run (was ${original} MB; restored at the end)`);
  return () => resize(original);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

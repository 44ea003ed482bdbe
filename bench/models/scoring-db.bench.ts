// bench/models: end-to-end scoring in the database. N contacts with a few months of events
// (bulk-inserted), a purchase model trained on them through core, then scoreTarget: features
// in set-based SQL per chunk, predict, multi-row upsert into contact_scores. Printed beside
// the two halves measured alone in the same run (feature SQL only, predict only).
//
//   npx tsx bench/models/scoring-db.bench.ts [--contacts 200000] [--events 8]
import { parseArgs } from 'node:util';
import type { RowDataPacket } from 'mysql2/promise';
import { forWorkspace } from '../../core/context';
import { chunk } from '../../core/db/sql-helpers';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { defineModelTarget, getModelTarget } from '../../core/models/model-targets';
import { planTraining } from '../../core/models/training-plan';
import { runTraining } from '../../core/models/training-run';
import { extractFeatures, FEATURE_CHUNK } from '../../core/models/feature-extraction';
import { getActiveModel } from '../../core/models/model-registry';
import { scoreTarget } from '../../core/models/scoring';
import { mulberry32 } from '../../core/models/seeded-random';
import { backendName } from '../../plugins/tfjs-propensity/tfjs-backend';
import { benchCore } from './bench-core';

const { values: opts } = parseArgs({ options: { contacts: { type: 'string', default: '200000' }, events: { type: 'string', default: '8' } } });
const N = Number(opts.contacts);
const PER = Number(opts.events);
const DAY = 86_400_000;

async function main() {
  const core = await benchCore();
  const ws = await createWorkspace(core, { name: 'model scoring bench' });
  const ctx = forWorkspace(core, ws.id);
  const rnd = mulberry32(5);
  const now = Date.now();

  const t0 = performance.now();
  for (const part of chunk(Array.from({ length: N }, (_, i) => i), 5000)) {
    await core.db.sql.query('INSERT INTO contacts (workspace_id, external_id, created_at, updated_at) VALUES ?', [part.map((i) => [ws.id, `b${i}`, new Date(now - 200 * DAY), new Date()])]);
  }
  const [ids] = await core.db.sql.query<RowDataPacket[]>('SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id', [ws.id]);
  let events = 0;
  for (const part of chunk(ids.map((r) => Number(r.id)), 2000)) {
    const rows: unknown[][] = [];
    for (const id of part) {
      const rate = rnd() ** 2; // activity varies a lot between contacts
      const k = Math.round(PER * 2 * rate);
      for (let e = 0; e < k; e++) {
        const buy = rnd() < 0.15 + 0.3 * rate;
        rows.push([ws.id, id, buy ? 'purchase' : 'page_view', buy ? Math.round(10 + 90 * rnd()) : null, new Date(now - DAY - Math.floor(rnd() * 180 * DAY)), new Date(), 'bench']);
      }
    }
    for (const rowsPart of chunk(rows, 5000)) await core.db.sql.query('INSERT INTO events (workspace_id, contact_id, type, value, occurred_at, received_at, source) VALUES ?', [rowsPart]);
    events += rows.length;
  }
  console.log(`seeded ${N} contacts and ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  await defineModelTarget(ctx, { kind: 'PURCHASE', horizonDays: 30 });
  const t1 = performance.now();
  const plan = await planTraining(ctx, { target: 'purchase-30d' });
  const result = await runTraining(ctx, { plan });
  console.log(`training end to end (2 snapshots of ${plan.counts.train.rows}/${plan.counts.validation.rows} contacts, SQL features, MLP + baseline on ${await backendName()}): ${((performance.now() - t1) / 1000).toFixed(1)} s, validation ROC AUC ${result.metrics.rocAuc.toFixed(4)} (baseline ${result.baselineMetrics.rocAuc.toFixed(4)})`);

  const t2 = performance.now();
  const scored = await scoreTarget(ctx, { target: 'purchase-30d' });
  const s2 = (performance.now() - t2) / 1000;
  console.log(`scoring end to end: ${Math.round(scored.scored / s2)} contacts/s (${scored.scored} in ${s2.toFixed(1)} s; goal ≥ 50000)`);

  // The halves alone, same data: feature SQL for every contact, then predict on the result.
  const target = await getModelTarget(ctx, 'purchase-30d');
  const active = await getActiveModel(ctx, target);
  const all = ids.map((r) => Number(r.id));
  const t3 = performance.now();
  let features = null;
  for (const part of chunk(all, FEATURE_CHUNK)) features = await extractFeatures(ctx, { spec: active.featureSpec, cutoff: new Date(), contactIds: part });
  const s3 = (performance.now() - t3) / 1000;
  console.log(`  of which feature SQL alone: ${Math.round(N / s3)} contacts/s (${s3.toFixed(1)} s)`);
  const model = core.extensions.models.get(active.modelKey)!;
  const whole = await extractFeatures(ctx, { spec: active.featureSpec, cutoff: new Date(), contactIds: all.slice(0, 50_000) });
  await model.predict({ artifact: active.artifact, features: whole.features });
  const t4 = performance.now();
  await model.predict({ artifact: active.artifact, features: whole.features });
  const s4 = (performance.now() - t4) / 1000;
  console.log(`  of which predict alone: ${Math.round(whole.features.rows / s4)} contacts/s (${features!.features.cols} features)`);
  if (!process.env.KEEP) await core.db.sql.query('DELETE FROM workspaces WHERE id = ?', [ws.id]);
  else console.log('kept workspace', ws.id);
  await core.db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

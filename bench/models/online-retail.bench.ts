// bench/models: the real-data figures. UCI Online Retail, "buys again within 90 days of the
// cutoff", trained and evaluated exactly as the product does (time split, MLP + logistic
// baseline), beside the majority-class and recency-only baselines on the same rows.
//
//   npx tsx bench/models/online-retail.bench.ts [--seed 42]
import { parseArgs } from 'node:util';
import { forWorkspace } from '../../core/context';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { defineModelTarget, getModelTarget } from '../../core/models/model-targets';
import { planTraining } from '../../core/models/training-plan';
import { runTraining } from '../../core/models/training-run';
import { buildDataset } from '../../core/models/dataset';
import { evaluate, type ModelMetrics } from '../../core/models/metrics';
import { scoreTarget } from '../../core/models/scoring';
import { backendName } from '../../plugins/tfjs-propensity/tfjs-backend';
import { loadOnlineRetail } from '../../tests/models/support/online-retail';
import { benchCore } from './bench-core';

const { values: opts } = parseArgs({ options: { seed: { type: 'string', default: '42' } } });

const line = (name: string, m: ModelMetrics) =>
  console.log(`${name}: ROC AUC ${m.rocAuc.toFixed(4)}, PR AUC ${m.prAuc.toFixed(4)}, log loss ${m.logLoss.toFixed(4)}, top-decile lift ${m.topDecileLift.toFixed(2)}`);

async function main() {
  const core = await benchCore();
  const ws = await createWorkspace(core, { name: 'online retail bench' });
  const ctx = forWorkspace(core, ws.id);
  const t0 = performance.now();
  const loaded = await loadOnlineRetail(ctx);
  console.log(`loaded ${loaded.invoices} invoices of ${loaded.customers} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await defineModelTarget(ctx, { kind: 'PURCHASE', horizonDays: 90 });
  const plan = await planTraining(ctx, { target: 'purchase-90d', seed: Number(opts.seed) });
  console.log(`train cutoff ${plan.trainCutoff.slice(0, 10)} (${plan.counts.train.rows} customers, ${plan.counts.train.positives} buy again); validation cutoff ${plan.validationCutoff.slice(0, 10)} (${plan.counts.validation.rows}, ${plan.counts.validation.positives})`);
  const t1 = performance.now();
  const result = await runTraining(ctx, { plan });
  console.log(`training (features in SQL, MLP and baseline): ${((performance.now() - t1) / 1000).toFixed(1)} s on ${await backendName()}; epochs ${result.epochs.model} / ${result.epochs.baseline}`);

  const target = await getModelTarget(ctx, 'purchase-90d');
  const validation = await buildDataset(ctx, { target, spec: plan.spec, cutoff: new Date(plan.validationCutoff) });
  const col = validation.features.featureNames.indexOf('purchase_recency_days');
  const recency = Float32Array.from({ length: validation.features.rows }, (_, r) => Math.exp(-validation.features.values[r * validation.features.cols + col]));
  const rate = plan.counts.train.positives / plan.counts.train.rows;
  line('mlp (tfjs-mlp)', result.metrics);
  line('logistic baseline (tfjs-logistic)', result.baselineMetrics);
  line('recency only (1 / (1 + days since last purchase))', evaluate(recency, validation.labels));
  line(`majority class (constant ${rate.toFixed(3)})`, evaluate(new Float32Array(validation.labels.length).fill(rate), validation.labels));
  console.log('reliability (mlp): ' + result.metrics.reliability.filter((b) => b.count).map((b) => `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}: n=${b.count} pred ${b.meanPredicted!.toFixed(2)} obs ${b.observedRate!.toFixed(2)}`).join('; '));

  const t2 = performance.now();
  const scored = await scoreTarget(ctx, { target: 'purchase-90d' });
  const s = (performance.now() - t2) / 1000;
  console.log(`scoring into contact_scores: ${Math.round(scored.scored / s)} contacts/s (${scored.scored} in ${s.toFixed(2)} s, end to end)`);
  await core.db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

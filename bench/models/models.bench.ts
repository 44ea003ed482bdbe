// bench/models: train on 100,000 contacts × 20 features and score 200,000, with the MLP and
// the logistic baseline, on the pure-JS TensorFlow.js backends (wasm, then cpu).
//
//   npx tsx bench/models/models.bench.ts [--rows 100000] [--score 200000] [--backend wasm,cpu]
//
// Data: an in-memory matrix with a known partly non-linear signal (tests/models/support/
// synthetic-matrix.ts): 100k training rows plus 15% more for early stopping, AUC on 50k
// held-out rows. Goals (issue 6): training ≤ 20 s, scoring ≥ 50,000 contacts/s.
// The end-to-end database path (features in SQL, predict, write contact_scores) is measured
// by bench/models/scoring-db.bench.ts.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { tfjsLogistic, tfjsMlp } from '../../plugins/tfjs-propensity/propensity-models';
import { loadTf, switchBackend } from '../../plugins/tfjs-propensity/tfjs-backend';
import { evaluate } from '../../core/models/metrics';
import type { PropensityModelDefinition } from '../../core/ports/propensity-model';
import { sliceRows, syntheticMatrix } from '../../tests/models/support/synthetic-matrix';

const { values: opts } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    score: { type: 'string', default: '200000' },
    cols: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'wasm,cpu' },
    options: { type: 'string', default: '{}' },
  },
});
const ROWS = Number(opts.rows);
const SCORE = Number(opts.score);
const COLS = Number(opts.cols);
const STOP = Math.round(ROWS * 0.15);
const HELD_OUT = 50_000;

async function measure(name: string, model: PropensityModelDefinition, data: ReturnType<typeof split>) {
  const t0 = performance.now();
  const trained = await model.train({ train: data.train, validation: data.stop, seed: 42, options: JSON.parse(opts.options!) });
  const trainSeconds = (performance.now() - t0) / 1000;
  const auc = evaluate(await model.predict({ artifact: trained.artifact, features: data.test.features }), data.test.labels).rocAuc;
  await model.predict({ artifact: trained.artifact, features: sliceRows(data.score, 0, 1000).features }); // warm the cache
  const t1 = performance.now();
  const scores = await model.predict({ artifact: trained.artifact, features: data.score.features });
  const scoreSeconds = (performance.now() - t1) / 1000;
  if (scores.length !== SCORE) throw new Error('short prediction');
  const d = trained.details as { epochs: number; bestEpoch: number };
  console.log(`${name} training: ${trainSeconds.toFixed(1)} s (${d.epochs} epochs, best ${d.bestEpoch}; goal ≤ 20 s)`);
  console.log(`${name} scoring: ${Math.round(SCORE / scoreSeconds)} contacts/s (${SCORE} in ${scoreSeconds.toFixed(2)} s; goal ≥ 50000)`);
  console.log(`${name} ROC AUC: ${auc.toFixed(4)}`);
}

function split() {
  const all = syntheticMatrix(ROWS + STOP + HELD_OUT, COLS, 11, 0.2);
  return {
    train: sliceRows(all, 0, ROWS),
    stop: sliceRows(all, ROWS, ROWS + STOP),
    test: sliceRows(all, ROWS + STOP, ROWS + STOP + HELD_OUT),
    score: syntheticMatrix(SCORE, COLS, 12, 0.2),
  };
}

async function main() {
  await loadTf();
  const data = split();
  console.log(`data: ${ROWS} training rows (+${STOP} for early stopping) × ${COLS} features, AUC on ${HELD_OUT} held-out rows, scoring ${SCORE} rows`);
  for (const backend of opts.backend!.split(',') as ('wasm' | 'cpu')[]) {
    const used = await switchBackend(tf, backend);
    console.log(`-- backend ${used} (tfjs ${tf.version.tfjs})`);
    await measure(`mlp [${used}]`, tfjsMlp, data);
    await measure(`logistic baseline [${used}]`, tfjsLogistic, data);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// The same model code on the wasm and the pure-JS cpu backend (tfjs-node is not installed
// here): each is deterministic, they agree on quality, and an artifact scores the same on
// either. The artifact format and the explanation are checked on their own.
import * as tf from '@tensorflow/tfjs';
import { tfjsLogistic, tfjsMlp } from '../../plugins/tfjs-propensity/propensity-models';
import { decodeArtifact, encodeArtifact } from '../../plugins/tfjs-propensity/model-artifact';
import { loadTf, switchBackend } from '../../plugins/tfjs-propensity/tfjs-backend';
import { evaluate } from '../../core/models/metrics';
import { sliceRows, syntheticMatrix } from './support/synthetic-matrix';

const data = syntheticMatrix(2400, 12, 3, 0.25);
const train = sliceRows(data, 0, 1500);
const stop = sliceRows(data, 1500, 1800);
const test_ = sliceRows(data, 1800, 2400);
const options = { maxEpochs: 10, patience: 4, batchSize: 256 };

beforeAll(async () => {
  await loadTf();
});
afterAll(async () => {
  await switchBackend(tf, 'wasm');
});

async function trainOn(backend: 'wasm' | 'cpu', model = tfjsMlp, seed = 5) {
  expect(await switchBackend(tf, backend)).toBe(backend);
  const trained = await model.train({ train, validation: stop, seed, options });
  const scores = await model.predict({ artifact: trained.artifact, features: test_.features });
  return { trained, scores, metrics: evaluate(scores, test_.labels) };
}

test('each backend is deterministic for a seed, and both learn the same model up to float rounding', async () => {
  const wasmA = await trainOn('wasm');
  const wasmB = await trainOn('wasm');
  const cpuA = await trainOn('cpu');
  const cpuB = await trainOn('cpu');
  expect(wasmA.trained.details).toMatchObject({ backend: 'wasm' });
  expect(cpuA.trained.details).toMatchObject({ backend: 'cpu' });
  expect(Buffer.from(wasmB.trained.artifact).equals(Buffer.from(wasmA.trained.artifact))).toBe(true);
  expect(Buffer.from(cpuB.trained.artifact).equals(Buffer.from(cpuA.trained.artifact))).toBe(true);
  // Different kernels round differently (XNNPACK vs JS loops), so the weights are not bit-identical;
  // the models are the same model all the same.
  expect(Math.abs(wasmA.metrics.rocAuc - cpuA.metrics.rocAuc)).toBeLessThan(0.01);
  expect(Math.abs(wasmA.metrics.logLoss - cpuA.metrics.logLoss)).toBeLessThan(0.01);
  let maxDiff = 0;
  for (let i = 0; i < wasmA.scores.length; i++) maxDiff = Math.max(maxDiff, Math.abs(wasmA.scores[i] - cpuA.scores[i]));
  expect(maxDiff).toBeLessThan(0.05);
  // The MLP sees the interaction the logistic baseline cannot.
  const logistic = await trainOn('wasm', tfjsLogistic);
  expect(wasmA.metrics.rocAuc).toBeGreaterThan(logistic.metrics.rocAuc);
});

test('an artifact scores the same on either backend', async () => {
  const { trained } = await trainOn('cpu', tfjsMlp, 6);
  const onCpu = await tfjsMlp.predict({ artifact: trained.artifact, features: test_.features });
  await switchBackend(tf, 'wasm');
  const onWasm = await tfjsMlp.predict({ artifact: trained.artifact, features: test_.features });
  for (let i = 0; i < onCpu.length; i++) expect(onWasm[i]).toBeCloseTo(onCpu[i], 5);
});

test('logistic explanations are exactly weight × standardised value', async () => {
  const { trained } = await trainOn('wasm', tfjsLogistic);
  const rows = sliceRows(test_, 0, 3);
  const [contribs] = await tfjsLogistic.explain!({ artifact: trained.artifact, features: rows.features });
  const { header, weights } = decodeArtifact(trained.artifact);
  const kernel = weights[0];
  for (let c = 0; c < rows.features.cols; c++) {
    const z = (rows.features.values[c] - header.mean[c]) / header.std[c];
    expect(contribs[c]).toBeCloseTo(kernel[c] * z, 4);
  }
  // Contributions add up to the logit's distance from the average contact's.
  const [p] = await tfjsLogistic.predict({ artifact: trained.artifact, features: rows.features });
  const logit = Math.log(p / (1 - p)) - header.logitOffset;
  const sum = Array.from(contribs).reduce((a, b) => a + b, 0);
  expect(sum + weights[1][0]).toBeCloseTo(logit, 3);
});

test('class weighting is undone at prediction time, so scores stay calibrated probabilities', async () => {
  const { scores } = await trainOn('wasm', tfjsLogistic);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const rate = test_.labels.reduce((a, b) => a + b, 0) / test_.labels.length;
  // Balanced weighting alone would centre scores near 0.5; corrected, they average the base rate.
  expect(Math.abs(mean - rate)).toBeLessThan(0.05);
});

test('the artifact round-trips and refuses foreign bytes', () => {
  const a = { header: { format: 1, architecture: 'logistic' as const, featureNames: ['x'], mean: [0.5], std: [2], layers: [{ inputDim: 1, units: 1, activation: 'linear' as const }], logitOffset: -0.3, details: {} }, weights: [Float32Array.of(1.5), Float32Array.of(-0.25)] };
  const back = decodeArtifact(encodeArtifact(a));
  expect(back.header).toEqual(a.header);
  expect(back.weights.map((w) => Array.from(w))).toEqual([[1.5], [-0.25]]);
  expect(() => decodeArtifact(new TextEncoder().encode('not a model'))).toThrow(/not a tfjs-propensity artifact/);
});

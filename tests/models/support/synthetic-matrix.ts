// In-memory feature matrices with a known, partly non-linear signal, for tests and the
// benchmark that exercise the models without a database. Seeded.
import type { FeatureMatrix } from '../../../core/ports/propensity-model';
import { mulberry32 } from '../../../core/random/seeded-random';

export interface LabelledMatrix {
  features: FeatureMatrix;
  labels: Float32Array;
}

/** `rows` × `cols` features; about `positiveRate` positives whose odds depend on 6 columns (two non-linearly). */
export function syntheticMatrix(rows: number, cols = 20, seed = 1, positiveRate = 0.2): LabelledMatrix {
  const rnd = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const values = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  const bias = Math.log(positiveRate / (1 - positiveRate)) - 0.6;
  for (let r = 0; r < rows; r++) {
    const x = values.subarray(r * cols, (r + 1) * cols);
    for (let c = 0; c < cols; c++) x[c] = c % 3 === 2 ? Math.log1p(-Math.log(1 - rnd()) * 3) : normal();
    // Recency-like, frequency-like and an interaction the logistic model cannot express.
    const logit = bias + 0.9 * x[0] - 0.7 * x[1] + 0.8 * x[2] + 0.6 * x[3] * x[4] + 0.5 * Math.abs(x[5]) + 0.3 * normal();
    labels[r] = rnd() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { features: { rows, cols, values, featureNames: Array.from({ length: cols }, (_, c) => `f${c}`) }, labels };
}

/** Rows [from, to) of a labelled matrix. */
export function sliceRows(m: LabelledMatrix, from: number, to: number): LabelledMatrix {
  const { cols } = m.features;
  return {
    features: { rows: to - from, cols, values: m.features.values.slice(from * cols, to * cols), featureNames: m.features.featureNames },
    labels: m.labels.slice(from, to),
  };
}

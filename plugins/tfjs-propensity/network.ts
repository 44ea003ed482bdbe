// The networks: logistic regression is one dense unit, the MLP adds ReLU hidden layers. Both
// end in a single logit. Training puts a sigmoid on it (binary cross-entropy needs a
// probability); inference keeps the logit so the calibration offset can be added first.
import type * as TfModule from '@tensorflow/tfjs';
import type { Tf } from './tfjs-backend';
import type { Artifact, DenseLayerSpec } from './model-artifact';

/** Layer specs for `hidden` ReLU layers (none: logistic regression) over `inputDim` features. */
export function layerSpecs(inputDim: number, hidden: number[]): DenseLayerSpec[] {
  const sizes = [inputDim, ...hidden, 1];
  return sizes.slice(1).map((units, i) => ({ inputDim: sizes[i], units, activation: i < hidden.length ? 'relu' : 'linear' }));
}

/** A trainable network with seeded initial weights (the same seed gives the same start). */
export function buildTrainingNetwork(tf: Tf, layers: DenseLayerSpec[], opts: { seed: number; l2: number }): TfModule.Sequential {
  const net = tf.sequential();
  layers.forEach((l, i) => {
    const last = i === layers.length - 1;
    net.add(
      tf.layers.dense({
        inputShape: i === 0 ? [l.inputDim] : undefined,
        units: l.units,
        activation: last ? 'sigmoid' : l.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: opts.seed + i * 7919 }),
        biasInitializer: 'zeros',
        kernelRegularizer: opts.l2 > 0 ? tf.regularizers.l2({ l2: opts.l2 }) : undefined,
      }),
    );
  });
  return net;
}

/** An inference network (logit output) holding an artifact's weights. */
export function buildInferenceNetwork(tf: Tf, artifact: Artifact): TfModule.Sequential {
  const net = tf.sequential();
  artifact.header.layers.forEach((l, i) => {
    net.add(tf.layers.dense({ inputShape: i === 0 ? [l.inputDim] : undefined, units: l.units, activation: l.activation }));
  });
  net.setWeights(
    artifact.header.layers.flatMap((l, i) => [tf.tensor2d(artifact.weights[2 * i], [l.inputDim, l.units]), tf.tensor1d(artifact.weights[2 * i + 1])]),
  );
  return net;
}

/** The logits of standardised rows `z` (rows × cols). */
export function predictLogits(tf: Tf, net: TfModule.Sequential, z: Float32Array, rows: number, cols: number): Float32Array {
  return tf.tidy(() => {
    const out = net.predict(tf.tensor2d(z, [rows, cols]), { batchSize: Math.max(1, Math.min(rows, 65536)) }) as TfModule.Tensor;
    return out.dataSync() as Float32Array;
  });
}

/** Mean and standard deviation per column (constant columns get std 1, so they standardise to 0). */
export function columnStats(values: Float32Array, rows: number, cols: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(cols).fill(0);
  const sq = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += values[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= Math.max(1, rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) sq[c] += (values[r * cols + c] - mean[c]) ** 2;
  const std = sq.map((s) => Math.sqrt(s / Math.max(1, rows)));
  return { mean, std: std.map((s) => (s > 1e-6 ? s : 1)) };
}

/** Standardised copy of a matrix, clipped to ±8 so a freak value at scoring time cannot explode a logit. */
export function standardise(values: Float32Array, rows: number, cols: number, mean: number[], std: number[]): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const z = (values[r * cols + c] - mean[c]) / std[c];
      out[r * cols + c] = z > 8 ? 8 : z < -8 ? -8 : z;
    }
  }
  return out;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

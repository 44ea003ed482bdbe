// The training loop shared by both architectures. Deterministic for a seed: initial weights
// come from seeded initialisers, each epoch's row order from a seeded shuffle (tfjs' own
// `shuffle` uses Math.random, so it is off), and nothing else is random (no dropout).
// Early stopping keeps the weights of the best epoch, which tfjs' earlyStopping callback
// cannot restore.
import { mulberry32, shuffleInPlace, type FeatureMatrix, type TrainProgress } from '../sdk';
import type { DenseLayerSpec } from './model-artifact';
import { buildTrainingNetwork, columnStats, standardise } from './network';
import type { Tf } from './tfjs-backend';
import { defaultBatchSize, type TrainingOptions } from './training-options';

export interface TrainedNetwork {
  weights: Float32Array[];
  mean: number[];
  std: number[];
  logitOffset: number;
  epochs: number;
  bestEpoch: number;
  bestLoss: number;
}

export async function trainNetwork(
  tf: Tf,
  args: {
    layers: DenseLayerSpec[];
    train: { features: FeatureMatrix; labels: Float32Array };
    validation: { features: FeatureMatrix; labels: Float32Array };
    seed: number;
    options: TrainingOptions & { learningRate: number };
    onProgress?: (p: TrainProgress) => void;
    signal?: AbortSignal;
  },
): Promise<TrainedNetwork> {
  const { features: x, labels: y } = args.train;
  const { rows: n, cols } = x;
  const opts = args.options;
  const { mean, std } = columnStats(x.values, n, cols);
  const z = standardise(x.values, n, cols, mean, std);
  const vz = standardise(args.validation.features.values, args.validation.features.rows, cols, mean, std);
  const vy = args.validation.labels;

  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const w1 = opts.classWeighting === 'balanced' ? n / (2 * Math.max(1, pos)) : 1;
  const w0 = opts.classWeighting === 'balanced' ? n / (2 * Math.max(1, n - pos)) : 1;
  // Weighting multiplies the learnt odds by w1/w0; subtracting its log restores probabilities.
  const logitOffset = -Math.log(w1 / w0);

  const net = buildTrainingNetwork(tf, args.layers, { seed: args.seed, l2: opts.l2 });
  const optimizer = tf.train.adam(opts.learningRate);
  net.compile({ optimizer, loss: 'binaryCrossentropy' });
  const batchSize = opts.batchSize ?? defaultBatchSize(n);
  const rnd = mulberry32(args.seed);
  const order = new Uint32Array(n).map((_, i) => i);
  const xs = new Float32Array(n * cols);
  const ys = new Float32Array(n);

  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] = [];
  let epoch = 0;
  try {
    for (epoch = 1; epoch <= opts.maxEpochs; epoch++) {
      throwIfAborted(args.signal);
      shuffleInPlace(order, rnd);
      for (let r = 0; r < n; r++) {
        xs.set(z.subarray(order[r] * cols, (order[r] + 1) * cols), r * cols);
        ys[r] = y[order[r]];
      }
      const tx = tf.tensor2d(xs, [n, cols]);
      const ty = tf.tensor2d(ys, [n, 1]);
      let loss: number;
      try {
        const h = await net.fit(tx, ty, { epochs: 1, batchSize, shuffle: false, verbose: 0, classWeight: { 0: w0, 1: w1 } });
        loss = Number(h.history.loss[0]);
      } finally {
        tx.dispose();
        ty.dispose();
      }
      // Let I/O run between epochs (tfjs may not yield on small batches): the job's heartbeat,
      // and with it a cancellation request, must get through during training.
      await new Promise((resolve) => setImmediate(resolve));
      const validationLoss = calibratedLogLoss(tf, net, vz, vy, cols, logitOffset);
      args.onProgress?.({ epoch, totalEpochs: opts.maxEpochs, loss, validationLoss });
      if (!Number.isFinite(loss)) throw new Error(`training diverged at epoch ${epoch} (loss ${loss}); lower the learning rate`);
      if (validationLoss < best - 1e-5) {
        best = validationLoss;
        bestEpoch = epoch;
        bestWeights = net.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
      } else if (epoch - bestEpoch >= opts.patience) {
        break;
      }
    }
    throwIfAborted(args.signal);
    if (!bestWeights.length) throw new Error('no epoch produced a finite early-stopping loss');
  } finally {
    net.dispose();
    optimizer.dispose();
  }
  return { weights: bestWeights, mean, std, logitOffset, epochs: Math.min(epoch, opts.maxEpochs), bestEpoch, bestLoss: best };
}

/** Log loss of the offset-corrected probabilities: what early stopping watches. */
function calibratedLogLoss(tf: Tf, net: import('@tensorflow/tfjs').Sequential, vz: Float32Array, vy: Float32Array, cols: number, offset: number): number {
  const rows = vy.length;
  const p = tf.tidy(() => (net.predict(tf.tensor2d(vz, [rows, cols]), { batchSize: Math.max(1, Math.min(rows, 65536)) }) as import('@tensorflow/tfjs').Tensor).dataSync());
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const pw = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
    const q = 1 / (1 + Math.exp(-(Math.log(pw / (1 - pw)) + offset)));
    const qc = Math.min(1 - 1e-7, Math.max(1e-7, q));
    sum -= vy[i] > 0.5 ? Math.log(qc) : Math.log(1 - qc);
  }
  return sum / Math.max(1, rows);
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('training cancelled');
}

// The two registered models: `tfjs-mlp` (a small ReLU network) and `tfjs-logistic` (logistic
// regression, also the baseline every training run reports beside the chosen model).
import { definePropensityModel, type FeatureMatrix, type PropensityModelDefinition } from '../sdk';
import { decodeArtifact, encodeArtifact, ARTIFACT_FORMAT, type Artifact } from './model-artifact';
import { buildInferenceNetwork, layerSpecs, predictLogits, sigmoid, standardise } from './network';
import { loadTf } from './tfjs-backend';
import { trainNetwork } from './train-loop';
import { trainingOptionsSchema } from './training-options';

type Architecture = 'mlp' | 'logistic';

function defineTfjsModel(architecture: Architecture): PropensityModelDefinition {
  return definePropensityModel({
    key: `tfjs-${architecture}`,
    label: architecture === 'mlp' ? 'Neural network (TensorFlow.js MLP)' : 'Logistic regression (TensorFlow.js)',
    options: trainingOptionsSchema,
    async train({ train, validation, seed, options, onProgress, signal }) {
      const tf = await loadTf();
      const opts = trainingOptionsSchema.parse(options ?? {});
      const hidden = architecture === 'mlp' ? opts.hidden : [];
      const layers = layerSpecs(train.features.cols, hidden);
      const learningRate = opts.learningRate ?? (architecture === 'mlp' ? 0.003 : 0.02);
      const started = Date.now();
      const net = await trainNetwork(tf, { layers, train, validation, seed, options: { ...opts, learningRate }, onProgress, signal });
      const details = {
        architecture, hidden, backend: tf.getBackend(), tfjsVersion: tf.version.tfjs, epochs: net.epochs, bestEpoch: net.bestEpoch,
        earlyStoppingLoss: net.bestLoss, learningRate, classWeighting: opts.classWeighting,
      };
      // The artifact holds only what training determined (no timings), so a seed reproduces it byte for byte.
      const artifact = encodeArtifact({
        header: { format: ARTIFACT_FORMAT, architecture, featureNames: train.features.featureNames, mean: net.mean, std: net.std, layers, logitOffset: net.logitOffset, details },
        weights: net.weights,
      });
      return { artifact, details: { ...details, trainingMs: Date.now() - started } };
    },
    async predict({ artifact, features }) {
      const { logits, model } = await logitsOf(artifact, features);
      const out = new Float32Array(features.rows);
      for (let i = 0; i < out.length; i++) out[i] = sigmoid(logits[i] + model.artifact.header.logitOffset);
      return out;
    },
    // Occlusion: a feature's contribution is how much the logit moves when that feature is
    // replaced by its training mean (0 once standardised). For logistic regression this is
    // exactly weight × standardised value; for the MLP it is a local, model-agnostic reading.
    async explain({ artifact, features }) {
      const tf = await loadTf();
      const model = await loaded(artifact);
      const { rows, cols } = features;
      const z = standardise(features.values, rows, cols, model.artifact.header.mean, model.artifact.header.std);
      const variants = new Float32Array(rows * (cols + 1) * cols);
      for (let r = 0; r < rows; r++) {
        const row = z.subarray(r * cols, (r + 1) * cols);
        for (let v = 0; v <= cols; v++) {
          const at = (r * (cols + 1) + v) * cols;
          variants.set(row, at);
          if (v < cols) variants[at + v] = 0;
        }
      }
      const logits = predictLogits(tf, model.net, variants, rows * (cols + 1), cols);
      return Array.from({ length: rows }, (_, r) => {
        const base = logits[r * (cols + 1) + cols];
        return Float32Array.from({ length: cols }, (_, c) => base - logits[r * (cols + 1) + c]);
      });
    },
  });
}

export const tfjsMlp = defineTfjsModel('mlp');
export const tfjsLogistic = defineTfjsModel('logistic');

interface LoadedModel {
  artifact: Artifact;
  net: import('@tensorflow/tfjs').Sequential;
}

// Scoring calls predict once per chunk with the same artifact: keep a few networks built.
const cache = new Map<string, LoadedModel>();
const CACHE_SIZE = 8;

async function loaded(bytes: Uint8Array): Promise<LoadedModel> {
  const tf = await loadTf();
  // Networks live on a backend: one switched at runtime (tests, benchmarks) builds its own.
  const key = `${tf.getBackend()}:${await digest(bytes)}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const artifact = decodeArtifact(bytes);
  const model = { artifact, net: buildInferenceNetwork(tf, artifact) };
  cache.set(key, model);
  if (cache.size > CACHE_SIZE) {
    const [oldest, old] = cache.entries().next().value as [string, LoadedModel];
    cache.delete(oldest);
    old.net.dispose();
  }
  return model;
}

async function logitsOf(bytes: Uint8Array, features: FeatureMatrix) {
  const tf = await loadTf();
  const model = await loaded(bytes);
  const { header } = model.artifact;
  if (features.cols !== header.mean.length) throw new Error(`the model expects ${header.mean.length} features, got ${features.cols}`);
  const z = standardise(features.values, features.rows, features.cols, header.mean, header.std);
  return { model, logits: features.rows ? predictLogits(tf, model.net, z, features.rows, features.cols) : new Float32Array(0) };
}

async function digest(bytes: Uint8Array): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha1').update(bytes).digest('hex');
}

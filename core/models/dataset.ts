// Training and evaluation datasets: a snapshot's contacts and labels joined with their
// features as of the same cutoff, and the seeded stratified split of the training snapshot
// into the rows the model fits and the rows it early-stops on.
import type { WorkspaceContext } from '../context';
import type { FeatureMatrix } from '../ports/propensity-model';
import { extractFeatures } from './feature-extraction';
import type { FeatureSpec } from './feature-spec';
import type { ModelTargetRecord } from './model-targets';
import { mulberry32, shuffleInPlace } from './seeded-random';
import { loadSnapshot } from './training-population';

export interface Dataset {
  cutoff: Date;
  contactIds: Int32Array;
  features: FeatureMatrix;
  labels: Float32Array;
  positives: number;
}

/** Labels after `cutoff` and features before it, for every contact of the snapshot. */
export async function buildDataset(
  ctx: WorkspaceContext,
  args: { target: ModelTargetRecord; spec: FeatureSpec; cutoff: Date; onProgress?: (done: number, total: number) => void },
): Promise<Dataset> {
  const snap = await loadSnapshot(ctx, { target: args.target, cutoff: args.cutoff, lookbackDays: args.spec.lookbackDays, engagement: args.spec.engagement });
  const { contactIds, features } = await extractFeatures(ctx, { spec: args.spec, cutoff: args.cutoff, contactIds: snap.contactIds, onProgress: args.onProgress });
  // A contact deleted between the two statements drops out of the features; realign labels.
  const labelOf = new Map(snap.contactIds.map((id, i) => [id, snap.labels[i]]));
  const labels = new Float32Array(contactIds.length);
  let positives = 0;
  contactIds.forEach((id, i) => {
    labels[i] = labelOf.get(id) ?? 0;
    positives += labels[i];
  });
  return { cutoff: args.cutoff, contactIds, features, labels, positives };
}

/** The rows `indices` of a matrix (and their labels). */
export function selectRows(features: FeatureMatrix, labels: Float32Array, indices: ArrayLike<number>): { features: FeatureMatrix; labels: Float32Array } {
  const { cols } = features;
  const values = new Float32Array(indices.length * cols);
  const out = new Float32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r];
    values.set(features.values.subarray(src * cols, (src + 1) * cols), r * cols);
    out[r] = labels[src];
  }
  return { features: { rows: indices.length, cols, values, featureNames: features.featureNames }, labels: out };
}

/**
 * Splits rows into fit and early-stopping parts, per class so both keep the positive rate,
 * with a seeded shuffle: the same seed and data give the same split. Row order inside each
 * part stays ascending so training sees the data in a reproducible order.
 */
export function stratifiedSplit(labels: Float32Array, holdout: number, seed: number): { fit: Uint32Array; stop: Uint32Array } {
  const rnd = mulberry32(seed ^ 0x5eed);
  const fit: number[] = [];
  const stop: number[] = [];
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if ((labels[i] > 0.5 ? 1 : 0) === cls) rows.push(i);
    shuffleInPlace(rows, rnd);
    const k = Math.max(1, Math.round(rows.length * holdout));
    // Plain loops: spreading 100k+ indices into push() overflows the call stack.
    for (let i = 0; i < rows.length; i++) (i < k ? stop : fit).push(rows[i]);
  }
  return { fit: Uint32Array.from(fit).sort(), stop: Uint32Array.from(stop).sort() };
}

// Training and evaluation datasets: a snapshot's contacts and labels joined with their
// features as of the same cutoff, and the seeded stratified split of the training snapshot
// into the rows the model fits and the rows it early-stops on.
import type { WorkspaceContext } from '../context';
import type { FeatureMatrix } from '../ports/propensity-model';
import { workspaceFeatures } from './feature-extraction';
import { featureNames, type FeatureSpec } from './feature-spec';
import type { ModelTargetRecord } from './model-targets';
import { mulberry32, shuffleInPlace } from '../random/seeded-random';
import { loadSnapshot } from './training-population';

export interface Dataset {
  cutoff: Date;
  contactIds: Int32Array;
  features: FeatureMatrix;
  labels: Float32Array;
  positives: number;
}

/**
 * Labels after `cutoff` and features before it, for every contact of the snapshot. Features
 * come from the same workspace walk as scoring (`workspaceFeatures`), keeping the snapshot's
 * contacts: one sequential pass instead of a lookup per contact, and no train/serve skew.
 */
export async function buildDataset(
  ctx: WorkspaceContext,
  args: { target: ModelTargetRecord; spec: FeatureSpec; cutoff: Date; onProgress?: (done: number, total: number) => void },
): Promise<Dataset> {
  const snap = await loadSnapshot(ctx, { target: args.target, cutoff: args.cutoff, lookbackDays: args.spec.lookbackDays, engagement: args.spec.engagement });
  const labelOf = new Map(snap.contactIds.map((id, i) => [id, snap.labels[i]]));
  const cols = featureNames(args.spec).length;
  const values = new Float32Array(snap.contactIds.length * cols);
  const contactIds = new Int32Array(snap.contactIds.length);
  const labels = new Float32Array(snap.contactIds.length);
  let rows = 0;
  let positives = 0;
  for await (const page of workspaceFeatures(ctx, { spec: args.spec, cutoff: args.cutoff })) {
    for (let r = 0; r < page.contactIds.length; r++) {
      const label = labelOf.get(page.contactIds[r]);
      // Not in the snapshot (appeared after the cutoff), or created since the snapshot was read.
      if (label === undefined) continue;
      values.set(page.features.values.subarray(r * cols, (r + 1) * cols), rows * cols);
      contactIds[rows] = page.contactIds[r];
      labels[rows++] = label;
      positives += label;
    }
    args.onProgress?.(rows, snap.contactIds.length);
  }
  // A contact deleted between the two reads drops out of the features (and so of the labels).
  const features = { rows, cols, values: values.slice(0, rows * cols), featureNames: featureNames(args.spec) };
  return { cutoff: args.cutoff, contactIds: contactIds.slice(0, rows), features, labels: labels.slice(0, rows), positives };
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

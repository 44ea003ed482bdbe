// Mean silhouette coefficient on a seeded sample: exact silhouette is O(n²) in distances,
// too slow for 100k contacts, and a few thousand points estimate it closely enough to
// compare values of k.
import { mulberry32 } from '../random/seeded-random';

/** Silhouette of `labels` over up to `sampleSize` rows of `x` (n × d, row-major); null when undefined (one cluster). */
export function sampledSilhouette(x: Float64Array, n: number, d: number, labels: Int32Array, k: number, sampleSize = 2000, seed = 0): number | null {
  if (k < 2) return null;
  const rand = mulberry32(seed + 7919);
  let rows = Array.from({ length: n }, (_, i) => i);
  if (n > sampleSize) {
    // Partial Fisher–Yates: the first sampleSize entries are a uniform sample.
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(rand() * (n - i));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows = rows.slice(0, sampleSize);
  }
  const m = rows.length;
  let total = 0;
  let counted = 0;
  const sum = new Float64Array(k);
  const count = new Int32Array(k);
  for (const i of rows) count[labels[i]]++;
  for (let a = 0; a < m; a++) {
    const i = rows[a];
    sum.fill(0);
    for (let b = 0; b < m; b++) {
      if (a === b) continue;
      const j = rows[b];
      let s = 0;
      for (let t = 0; t < d; t++) s += (x[i * d + t] - x[j * d + t]) ** 2;
      sum[labels[j]] += Math.sqrt(s);
    }
    const own = labels[i];
    // A point alone in its cluster scores 0 by convention.
    if (count[own] <= 1) {
      counted++;
      continue;
    }
    const within = sum[own] / (count[own] - 1);
    let nearest = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && count[c]) nearest = Math.min(nearest, sum[c] / count[c]);
    if (nearest === Infinity) continue;
    total += (nearest - within) / Math.max(within, nearest);
    counted++;
  }
  return counted ? total / counted : null;
}

// K-means (Lloyd, accelerated with Hamerly's bounds: kmeans-hamerly.ts) with greedy k-means++
// seeding and restarts, following scikit-learn's KMeans: 2 + ln(k) candidate centres per
// seeding step, tolerance scaled by the mean feature variance, empty clusters re-seeded with
// the farthest points, best of `nInit` runs.
//
// Written here rather than taken from npm: ml-kmeans (the maintained JS option) is ESM-only,
// which the project's CommonJS jest setup cannot load, and works on number[][] with a distance
// callback per pair, about 50× slower than flat Float64Arrays on 100k × 8 with restarts.
import { lloydHamerly } from './kmeans-hamerly';
import { mulberry32 } from '../random/seeded-random';
import { columnMoments } from './column-moments';

export interface KMeansOptions {
  nInit?: number;
  maxIter?: number;
  tol?: number;
  seed?: number;
}

export interface KMeansResult {
  k: number;
  /** Cluster index per row. */
  labels: Int32Array;
  /** k × d centres, row-major. */
  centroids: Float64Array;
  /** Sum of squared distances of rows to their centre. */
  inertia: number;
  iterations: number;
}

/** Clusters n rows of d values (row-major in `x`) into k groups. */
export function kmeans(x: Float64Array, n: number, d: number, k: number, opts: KMeansOptions = {}): KMeansResult {
  if (k < 1 || k > n) throw new RangeError(`k must be between 1 and the number of rows (${n})`);
  const rand = mulberry32(opts.seed ?? 0);
  const tol = (opts.tol ?? 1e-4) * meanVariance(x, n, d);
  let best: KMeansResult | null = null;
  for (let run = 0; run < (opts.nInit ?? 10); run++) {
    const result = { k, ...lloydHamerly(x, n, d, k, seed(x, n, d, k, rand), opts.maxIter ?? 300, tol) };
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/** Greedy k-means++: each new centre is the best of several D²-weighted candidates. */
export function seed(x: Float64Array, n: number, d: number, k: number, rand: () => number): Float64Array {
  const centres = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(rand() * n);
  centres.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i] = sqDist(x, i * d, centres, 0, d);
  const candidateDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPotential = Infinity;
    let bestIndex = 0;
    for (let t = 0; t < trials; t++) {
      const candidate = weightedPick(closest, potential, rand);
      let pot = 0;
      for (let i = 0; i < n; i++) pot += candidateDist[i] = Math.min(closest[i], sqDist(x, i * d, x, candidate * d, d));
      if (pot < bestPotential) {
        bestPotential = pot;
        bestIndex = candidate;
        bestDist.set(candidateDist);
      }
    }
    centres.set(x.subarray(bestIndex * d, bestIndex * d + d), c * d);
    closest.set(bestDist);
    potential = bestPotential;
  }
  return centres;
}

// Kept local rather than imported: in this loop a cross-module call goes through the
// transpiled module's export getter on every call (measured: a sixth of the seeding time).
function sqDist(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    s += t * t;
  }
  return s;
}

function weightedPick(weights: Float64Array, total: number, rand: () => number): number {
  if (total <= 0) return Math.floor(rand() * weights.length);
  let r = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r <= 0) return i;
  }
  return weights.length - 1;
}

function meanVariance(x: Float64Array, n: number, d: number): number {
  return columnMoments(x, n, d).variances.reduce((a, b) => a + b, 0) / d;
}

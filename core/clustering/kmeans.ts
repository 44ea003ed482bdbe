// K-means (Lloyd) with greedy k-means++ seeding and restarts, following scikit-learn's
// KMeans: 2 + ln(k) candidate centres per seeding step, tolerance scaled by the mean feature
// variance, empty clusters re-seeded with the farthest points, best of `nInit` runs.
//
// Written here rather than taken from npm: ml-kmeans (the maintained JS option) is ESM-only,
// which the project's CommonJS jest setup cannot load, and works on number[][] with a distance
// callback per pair, about 50× slower than flat Float64Arrays on 100k × 8 with restarts.

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
    const result = lloyd(x, n, d, k, seed(x, n, d, k, rand), opts.maxIter ?? 300, tol);
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

function lloyd(x: Float64Array, n: number, d: number, k: number, centres: Float64Array, maxIter: number, tol: number): KMeansResult {
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    let changed = assign(x, n, d, k, centres, labels, dist);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      counts[l]++;
      for (let j = 0; j < d; j++) sums[l * d + j] += x[i * d + j];
    }
    // An empty cluster takes the row farthest from its centre (as scikit-learn does).
    for (let c = 0; c < k; c++) {
      if (counts[c]) continue;
      let far = 0;
      for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
      const from = labels[far];
      counts[from]--;
      for (let j = 0; j < d; j++) sums[from * d + j] -= x[far * d + j];
      labels[far] = c;
      dist[far] = 0;
      counts[c] = 1;
      for (let j = 0; j < d; j++) sums[c * d + j] = x[far * d + j];
      changed++;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        shift += (v - centres[c * d + j]) ** 2;
        centres[c * d + j] = v;
      }
    }
    if (!changed || shift <= tol) {
      iterations++;
      break;
    }
  }
  // Final assignment against the final centres, as the reported inertia must match them.
  assign(x, n, d, k, centres, labels, dist);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist[i];
  return { k, labels, centroids: centres, inertia, iterations };
}

function assign(x: Float64Array, n: number, d: number, k: number, centres: Float64Array, labels: Int32Array, dist: Float64Array): number {
  let changed = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(x, i * d, centres, c * d, d);
      if (dd < bestD) {
        bestD = dd;
        best = c;
      }
    }
    if (labels[i] !== best) changed++;
    labels[i] = best;
    dist[i] = bestD;
  }
  return changed;
}

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
  let total = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j] - mean) ** 2;
    total += v / n;
  }
  return total / d;
}

/** Small seeded PRNG so discoveries are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

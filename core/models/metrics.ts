// Evaluation metrics for binary propensity scores. Pure functions over typed arrays, so the
// model, the baseline and the naive baselines in tests are all measured the same way.

export interface ReliabilityBin {
  /** Bin bounds on the predicted probability: [lower, upper). The last bin includes 1. */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin (null when empty). */
  meanPredicted: number | null;
  /** Share of positives in the bin (null when empty). */
  observedRate: number | null;
}

export interface ModelMetrics {
  rows: number;
  positives: number;
  positiveRate: number;
  /** Probability that a random positive is ranked above a random negative (0.5 = chance). */
  rocAuc: number;
  /** Average precision: area under the precision/recall curve (chance = positiveRate). */
  prAuc: number;
  /** Mean negative log-likelihood (lower is better; the prior alone scores the entropy of positiveRate). */
  logLoss: number;
  /** Mean squared error of the probabilities. */
  brier: number;
  /** Positive rate in the top 10% by score divided by the overall positive rate (1 = no lift). */
  topDecileLift: number;
  reliability: ReliabilityBin[];
}

const EPS = 1e-7;

/** All metrics of `scores` against 0/1 `labels`. */
export function evaluate(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ModelMetrics {
  if (scores.length !== labels.length) throw new Error(`evaluate: ${scores.length} scores for ${labels.length} labels`);
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] > 0.5 ? 1 : 0;
  return {
    rows: n,
    positives,
    positiveRate: n ? positives / n : 0,
    rocAuc: rocAuc(scores, labels),
    prAuc: averagePrecision(scores, labels),
    logLoss: logLoss(scores, labels),
    brier: brier(scores, labels),
    topDecileLift: topFractionLift(scores, labels, 0.1),
    reliability: reliabilityTable(scores, labels, bins),
  };
}

/** Indices sorted by score descending; ties keep index order so results are reproducible. */
function byScoreDesc(scores: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** ROC AUC by the rank-sum (Mann–Whitney) formula, ties counted as half. NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = byScoreDesc(scores);
  let pos = 0;
  let neg = 0;
  let above = 0; // sum over negatives of positives ranked above them
  for (let i = 0; i < idx.length; ) {
    let j = i;
    let p = 0;
    let q = 0;
    while (j < idx.length && scores[idx[j]] === scores[idx[i]]) {
      if (labels[idx[j]] > 0.5) p++;
      else q++;
      j++;
    }
    above += q * (pos + p / 2);
    pos += p;
    neg += q;
    i = j;
  }
  return pos && neg ? above / (pos * neg) : NaN;
}

/** Average precision: Σ (recall_k − recall_{k−1}) · precision_k over distinct score thresholds. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = byScoreDesc(scores);
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += labels[i] > 0.5 ? 1 : 0;
  if (!total) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    let p = 0;
    while (j < idx.length && scores[idx[j]] === scores[idx[i]]) {
      if (labels[idx[j]] > 0.5) p++;
      j++;
    }
    seen += j - i;
    tp += p;
    ap += (p / total) * (tp / seen);
    i = j;
  }
  return ap;
}

export function logLoss(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, scores[i]));
    sum -= labels[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
  }
  return scores.length ? sum / scores.length : NaN;
}

export function brier(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += (scores[i] - (labels[i] > 0.5 ? 1 : 0)) ** 2;
  return scores.length ? sum / scores.length : NaN;
}

/**
 * Positive rate among the top `fraction` by score over the overall positive rate. A group of
 * tied scores straddling the cut counts pro rata, so the order of ties cannot change the lift.
 */
export function topFractionLift(scores: ArrayLike<number>, labels: ArrayLike<number>, fraction: number): number {
  const n = scores.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += labels[i] > 0.5 ? 1 : 0;
  if (!n || !total) return NaN;
  const k = Math.max(1, Math.ceil(n * fraction));
  const idx = byScoreDesc(scores);
  let taken = 0;
  let top = 0;
  for (let i = 0; i < idx.length && taken < k; ) {
    let j = i;
    let p = 0;
    while (j < idx.length && scores[idx[j]] === scores[idx[i]]) {
      if (labels[idx[j]] > 0.5) p++;
      j++;
    }
    const share = Math.min(1, (k - taken) / (j - i));
    top += p * share;
    taken += (j - i) * share;
    i = j;
  }
  return top / k / (total / n);
}

/** Equal-width bins of predicted probability with the observed positive rate in each. */
export function reliabilityTable(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(scores[i] * bins)));
    count[b]++;
    sumP[b] += scores[i];
    sumY[b] += labels[i] > 0.5 ? 1 : 0;
  }
  return count.map((c, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: c,
    meanPredicted: c ? sumP[b] / c : null,
    observedRate: c ? sumY[b] / c : null,
  }));
}

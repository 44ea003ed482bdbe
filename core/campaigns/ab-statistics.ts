// A/B test statistics (pure functions; docs/campaigns.md explains the choices).
//
// Rates (open, click, conversion) are compared with the two-proportion z-test using the
// pooled proportion; revenue per recipient with a large-sample z-test on the difference of
// means (Welch's unpooled standard error). The leader must beat every other variant with a
// two-sided p-value below α/(k−1) (Bonferroni, so testing 8 variants is not 7 chances to be
// lucky); α = 0.05, i.e. 95 % confidence. Intervals: Wilson score for rates (well-behaved
// for small samples and rates near 0), normal approximation for mean revenue.

export type AbMetric = 'OPEN' | 'CLICK' | 'CONVERSION' | 'REVENUE';

export interface VariantCounts {
  variantId: number;
  name: string;
  position: number;
  /** Test recipients the provider accepted. */
  recipients: number;
  /** Recipients who opened / clicked / converted (for the rate metrics). */
  successes: number;
  revenue: number;
  revenueSquares: number;
}

export interface VariantResult extends VariantCounts {
  /** Rate (or revenue per recipient) and its 95 % confidence interval. */
  value: number;
  low: number;
  high: number;
}

export interface Comparison {
  variantId: number;
  againstVariantId: number;
  z: number;
  pValue: number;
}

export interface AbDecision {
  metric: AbMetric;
  alpha: number;
  leaderVariantId: number;
  winnerVariantId: number;
  significant: boolean;
  /** 'significant', or the fallback applied: 'fallback:CONTROL' / 'fallback:LEADER'. */
  rule: string;
  variants: VariantResult[];
  comparisons: Comparison[];
}

export const Z95 = 1.959963984540054;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Wilson score interval for x successes out of n. */
export function wilsonInterval(x: number, n: number, z = Z95): { rate: number; low: number; high: number } {
  if (n === 0) return { rate: 0, low: 0, high: 0 };
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Two-proportion z statistic (pooled) and two-sided p-value; z > 0 when the first rate is higher. */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } {
  if (!n1 || !n2) return { z: 0, pValue: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

function meanAndVariance(v: VariantCounts): { mean: number; variance: number } {
  if (v.recipients < 2) return { mean: v.recipients ? v.revenue / v.recipients : 0, variance: 0 };
  const mean = v.revenue / v.recipients;
  return { mean, variance: Math.max(0, (v.revenueSquares - v.recipients * mean * mean) / (v.recipients - 1)) };
}

/** z-test on the difference of mean revenue per recipient (unpooled standard error). */
export function meanDifferenceTest(a: VariantCounts, b: VariantCounts): { z: number; pValue: number } {
  const x = meanAndVariance(a);
  const y = meanAndVariance(b);
  if (!a.recipients || !b.recipients) return { z: 0, pValue: 1 };
  const se = Math.sqrt(x.variance / a.recipients + y.variance / b.recipients);
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (x.mean - y.mean) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

/** Each variant's value with its 95 % interval. */
export function variantResults(metric: AbMetric, counts: VariantCounts[]): VariantResult[] {
  return counts.map((v) => {
    if (metric === 'REVENUE') {
      const { mean, variance } = meanAndVariance(v);
      const half = v.recipients ? Z95 * Math.sqrt(variance / v.recipients) : 0;
      return { ...v, value: mean, low: mean - half, high: mean + half };
    }
    const w = wilsonInterval(v.successes, v.recipients);
    return { ...v, value: w.rate, low: w.low, high: w.high };
  });
}

/** Picks the winner: the leader if it beats every other variant significantly, else the fallback. */
export function decideAbTest(metric: AbMetric, counts: VariantCounts[], fallback: 'CONTROL' | 'LEADER', alpha = 0.05): AbDecision {
  const variants = variantResults(metric, [...counts].sort((a, b) => a.position - b.position));
  const leader = variants.reduce((best, v) => (v.value > best.value ? v : best), variants[0]);
  const others = variants.filter((v) => v !== leader);
  const threshold = alpha / Math.max(1, others.length);
  const comparisons = others.map((o) => {
    const t = metric === 'REVENUE' ? meanDifferenceTest(leader, o) : twoProportionTest(leader.successes, leader.recipients, o.successes, o.recipients);
    return { variantId: leader.variantId, againstVariantId: o.variantId, z: t.z, pValue: t.pValue };
  });
  const significant = comparisons.length > 0 && comparisons.every((c) => c.z > 0 && c.pValue < threshold);
  const winnerVariantId = significant || fallback === 'LEADER' ? leader.variantId : variants[0].variantId;
  return { metric, alpha, leaderVariantId: leader.variantId, winnerVariantId, significant, rule: significant ? 'significant' : `fallback:${fallback}`, variants, comparisons };
}

// Plain-language names for clusters, from how far each centroid sits from the population
// mean on each feature (in standard deviations). RFM combinations get the names marketers
// use ("lapsed big spenders"); other features add their own words.
import type { FeatureDef } from './cluster-features';

const NOTABLE = 0.5;

/** One label per cluster, distinct within the discovery. */
export function labelClusters(features: FeatureDef[], centroids: number[][]): string[] {
  const labels = centroids.map((z) => label(features, z));
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n > 1 ? `${l} (${n})` : l;
  });
}

function label(features: FeatureDef[], z: number[]): string {
  const level = (name: string) => {
    const i = features.findIndex((f) => f.name === name);
    if (i < 0) return 0;
    return z[i] > NOTABLE ? 1 : z[i] < -NOTABLE ? -1 : 0;
  };
  const [r, f, m] = [level('recency'), level('frequency'), level('monetary')];
  let core: string[] = [];
  if (r > 0 && m > 0) core = ['lapsed big spenders'];
  else if (r > 0 && m < 0) core = ['lapsed low value'];
  else if (r < 0 && f > 0 && m > 0) core = ['high value', 'loyal'];
  else if (r < 0 && f <= 0 && m <= 0) core = ['recent', 'low spend'];
  else {
    if (m) core.push(m > 0 ? 'high value' : 'low value');
    if (f) core.push(f > 0 ? 'loyal' : 'occasional');
    if (r) core.push(r > 0 ? 'lapsed' : 'recent');
  }
  const rfm = new Set(['recency', 'frequency', 'monetary']);
  // Other features, strongest first, at most two.
  const extra = features
    .map((feat, i) => ({ feat, v: z[i] }))
    .filter(({ feat, v }) => !rfm.has(feat.name) && Math.abs(v) > NOTABLE)
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
    .slice(0, 2)
    .map(({ feat, v }) => (v > 0 ? feat.high : feat.low));
  const words = [...core, ...extra];
  return words.length ? words.join(', ') : 'typical';
}

// Persona discovery: k-means over standardised profile features of the workspace's contacts.
// The feature matrix is read in one statement; clustering runs in process on Float64Arrays.
// The run is stored so that any of its clusters can be saved as a persona later.
import type { WorkspaceContext } from '../context';
import { ValidationError, type Issue } from '../errors';
import type { Prisma } from '../db/prisma-client';
import { checkRule } from '../personas/rule-check';
import { loadRuleEnv } from '../personas/rule-env';
import type { PersonaRule } from '../personas/rule-types';
import { resolveFeatures, type FeatureDef } from './cluster-features';
import { loadFeatureMatrix, standardise } from './feature-matrix';
import { labelClusters } from './cluster-labels';
import { kmeans, type KMeansResult } from './kmeans';
import { sampledSilhouette } from './silhouette';

export const K_LIMITS = { min: 2, max: 20, maxRange: 10 };

export interface DiscoverArgs {
  k: number;
  features: string[];
  /** Also run every k in [from, to] and report inertia and silhouette, to help pick k. */
  kRange?: { from: number; to: number } | null;
  /** Restarts per k (best inertia wins). */
  nInit?: number;
  seed?: number;
  /** Only contacts matching this persona rule. */
  population?: unknown;
}

export interface DiscoveredCluster {
  index: number;
  size: number;
  /** Centroid in the features' original units (e.g. days, purchases, money). */
  centroid: Record<string, number>;
  label: string;
}

export interface Discovery {
  id: number;
  k: number;
  features: string[];
  contacts: number;
  inertia: number;
  silhouette: number | null;
  clusters: DiscoveredCluster[];
  candidates: { k: number; inertia: number; silhouette: number | null }[];
}

/** What a saved cluster persona needs to assign contacts in SQL (stored in the discovery's model). */
export interface ClusterModel {
  features: string[];
  impute: number[];
  means: number[];
  stds: number[];
  /** k × d standardised centroids. */
  centroids: number[][];
  population: PersonaRule | null;
  labels: string[];
  sizes: number[];
}

/** Clusters the workspace's profiled contacts; validation problems name their argument. */
export async function discoverPersonas(ctx: WorkspaceContext, args: DiscoverArgs): Promise<Discovery> {
  const env = await loadRuleEnv(ctx);
  const issues: Issue[] = [];
  const { features, issues: featureIssues } = resolveFeatures(args.features, env.attributes, ['features']);
  issues.push(...featureIssues);
  const kOk = Number.isInteger(args.k) && args.k >= K_LIMITS.min && args.k <= K_LIMITS.max;
  if (!kOk) issues.push({ path: ['k'], message: `k must be an integer from ${K_LIMITS.min} to ${K_LIMITS.max}` });
  const range = args.kRange;
  if (range && !(Number.isInteger(range.from) && Number.isInteger(range.to) && range.from >= K_LIMITS.min && range.to <= K_LIMITS.max && range.from <= range.to && range.to - range.from < K_LIMITS.maxRange)) {
    issues.push({ path: ['kRange'], message: `from ≤ to, both in ${K_LIMITS.min}–${K_LIMITS.max}, at most ${K_LIMITS.maxRange} values` });
  }
  const nInit = args.nInit ?? 10;
  if (!Number.isInteger(nInit) || nInit < 1 || nInit > 50) issues.push({ path: ['nInit'], message: 'restarts must be from 1 to 50' });
  let population: PersonaRule | null = null;
  if (args.population != null) {
    const checked = checkRule(args.population, env, ['population']);
    issues.push(...checked.issues);
    population = checked.rule;
  }
  if (issues.length) throw new ValidationError('invalid discovery request; nothing was run', issues);

  const { x, n, d, impute } = await loadFeatureMatrix(ctx, { features, population, env });
  const maxK = Math.max(args.k, range?.to ?? 0);
  if (n < maxK) throw ValidationError.at(['k'], `only ${n} contacts have profiles${population ? ' and match the population' : ''}; k must not exceed that`);
  const { means, stds } = standardise(x, n, d);

  const seed = args.seed ?? 0;
  const results = new Map<number, KMeansResult>();
  const ks = range ? Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i) : [];
  for (const k of new Set([args.k, ...ks])) results.set(k, kmeans(x, n, d, k, { nInit, seed }));
  const silhouettes = new Map([...results].map(([k, r]) => [k, sampledSilhouette(x, n, d, r.labels, k, 2000, seed)]));

  const chosen = results.get(args.k)!;
  const centroids = Array.from({ length: args.k }, (_, c) => Array.from(chosen.centroids.subarray(c * d, c * d + d)));
  const sizes = new Array(args.k).fill(0);
  chosen.labels.forEach((l) => sizes[l]++);
  const labels = labelClusters(features, centroids);
  const model: ClusterModel = { features: features.map((f) => f.name), impute, means, stds, centroids, population, labels, sizes };
  const row = await ctx.db.prisma.personaDiscovery.create({
    data: {
      workspaceId: ctx.workspaceId,
      k: args.k,
      features: model.features,
      model: model as unknown as Prisma.InputJsonValue,
      inertia: chosen.inertia,
      silhouette: silhouettes.get(args.k),
      sampleSize: n,
    },
  });
  return {
    id: row.id,
    k: args.k,
    features: model.features,
    contacts: n,
    inertia: chosen.inertia,
    silhouette: silhouettes.get(args.k) ?? null,
    clusters: centroids.map((z, index) => ({ index, size: sizes[index], label: labels[index], centroid: originalUnits(features, z, means, stds) })),
    candidates: ks.map((k) => ({ k, inertia: results.get(k)!.inertia, silhouette: silhouettes.get(k) ?? null })),
  };
}

function originalUnits(features: FeatureDef[], z: number[], means: number[], stds: number[]): Record<string, number> {
  return Object.fromEntries(features.map((f, j) => {
    const t = z[j] * stds[j] + means[j];
    return [f.name, f.log ? Math.expm1(t) : t];
  }));
}

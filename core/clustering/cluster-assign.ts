// Membership of a saved cluster persona, in SQL: a contact belongs when its standardised
// features are at least as close to this cluster's centroid as to any other. The features,
// imputation and scaling are those of the discovery, so assignment matches the clustering.
import { resolveFeatures, standardisedSql } from './cluster-features';
import type { ClusterModel } from './discover-personas';
import { compileRule, type CompiledRule } from '../personas/rule-compile';
import type { RuleEnv } from '../personas/rule-env';

export interface ClusterDefinition {
  discoveryId: number;
  cluster: number;
  model: ClusterModel;
}

/** Compiles "nearest centroid is `cluster`" (within the discovery's population) to a rule condition. */
export function compileClusterAssignment(def: ClusterDefinition, env: RuleEnv, args: { workspaceId: number; now: Date }): CompiledRule {
  const { model } = def;
  const { features, issues } = resolveFeatures(model.features, env.attributes, ['features']);
  // An attribute used as a feature may have been redefined since; the persona then matches nobody.
  if (issues.length) return { where: 'FALSE', params: [], usesProfile: false };
  const params: unknown[] = [];
  const distance = (c: number) =>
    '(' + features.map((f, j) => {
      const z = standardisedSql(f, model.impute[j], model.means[j], model.stds[j]);
      params.push(...z.params, model.centroids[c][j]);
      return `POW(${z.sql} - ?, 2)`;
    }).join(' + ') + ')';
  const own = distance(def.cluster);
  const all = model.centroids.map((_, c) => distance(c));
  let where = `p.contact_id IS NOT NULL AND ${own} <= LEAST(${all.join(', ')})`;
  if (model.population) {
    const pop = compileRule(model.population, env, args);
    where = `(${pop.where}) AND ${where}`;
    params.unshift(...pop.params);
  }
  return { where, params, usesProfile: true };
}

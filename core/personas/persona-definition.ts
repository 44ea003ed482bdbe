// A persona's stored definition, compiled to the SQL condition its refresh evaluates:
// RULE personas hold a rule, CLUSTER personas a saved k-means cluster.
import { compileClusterAssignment, type ClusterDefinition } from '../clustering/cluster-assign';
import { checkRule } from './rule-check';
import { compileRule, type CompiledRule } from './rule-compile';
import type { RuleEnv } from './rule-env';
import type { PersonaRule } from './rule-types';

export interface StoredPersona {
  id: number;
  kind: 'RULE' | 'CLUSTER';
  definition: unknown;
}

export function compileDefinition(p: StoredPersona, env: RuleEnv, args: { workspaceId: number; now: Date }): CompiledRule {
  if (p.kind === 'CLUSTER') return compileClusterAssignment(p.definition as ClusterDefinition, env, args);
  // Re-checked against today's workspace: an attribute redefined since saving makes the rule match nobody
  // rather than fail the whole refresh run (the persona's page shows the problem through validatePersona).
  const { rule, issues } = checkRule(p.definition, env);
  if (issues.length) return { where: 'FALSE', params: [], usesProfile: false };
  return compileRule(rule as PersonaRule, env, args);
}

// What a rule is checked and compiled against: the workspace's attribute definitions, its
// personas (for membership conditions and cycle checks) and the propensity targets that have
// scores (contact_scores belongs to the models domain and may not exist yet).
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { loadAttributeDefs, type AttributeDef } from '../attributes/attribute-definitions';
import { optionalTableColumns } from '../profiles/optional-tables';

export interface RuleEnv {
  attributes: Map<string, AttributeDef>;
  /** slug → id and the slugs its own definition references. */
  personas: Map<string, { id: number; dependsOn: Set<string> }>;
  /** Targets with scores (or declared by the models domain); null when contact_scores does not exist. */
  scoreTargets: Set<string> | null;
  /** The persona being defined, so a rule cannot reference itself. */
  selfSlug?: string;
}

/** Loads the rule environment of the workspace (three or four small queries). */
export async function loadRuleEnv(ctx: WorkspaceContext, selfSlug?: string): Promise<RuleEnv> {
  const [attributes, personaRows, scoreTargets] = await Promise.all([
    loadAttributeDefs(ctx),
    ctx.db.prisma.persona.findMany({ where: { workspaceId: ctx.workspaceId }, select: { id: true, slug: true, definition: true } }),
    loadScoreTargets(ctx),
  ]);
  const personas = new Map(personaRows.map((p) => [p.slug, { id: p.id, dependsOn: referencedPersonas(p.definition) }]));
  return { attributes, personas, scoreTargets, selfSlug };
}

async function loadScoreTargets(ctx: WorkspaceContext): Promise<Set<string> | null> {
  if (!(await optionalTableColumns(ctx, 'contact_scores'))) return null;
  const targets = new Set<string>();
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>('SELECT DISTINCT target FROM contact_scores WHERE workspace_id = ?', [ctx.workspaceId]);
  rows.forEach((r) => targets.add(String(r.target)));
  // Targets the models domain declares count too, so a persona can be defined before the first scoring run.
  const declared = await optionalTableColumns(ctx, 'model_targets');
  if (declared?.has('workspace_id') && declared.has('key')) {
    const [keys] = await ctx.db.sql.query<RowDataPacket[]>('SELECT `key` AS k FROM model_targets WHERE workspace_id = ?', [ctx.workspaceId]);
    keys.forEach((r) => targets.add(String(r.k)));
  }
  return targets;
}

/** Slugs of the personas a stored definition references (rule personas and cluster populations). */
export function referencedPersonas(definition: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(definition)) definition.forEach((d) => referencedPersonas(d, out));
  else if (definition && typeof definition === 'object') {
    for (const [k, v] of Object.entries(definition)) {
      if (k === 'persona' && v && typeof v === 'object' && typeof (v as { slug?: unknown }).slug === 'string') out.add((v as { slug: string }).slug);
      else referencedPersonas(v, out);
    }
  }
  return out;
}

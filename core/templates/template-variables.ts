// Unknown-variable checks at save time. Liquid renders an unknown variable as an empty
// string, so `{{ contact.frist_name }}` would silently send "Hi ,": saving reports it instead,
// with its line and column. Known names come from the render scope (template-scope.ts), the
// workspace's attribute definitions and the columns contact_profiles has.
import type { RowDataPacket } from 'mysql2/promise';
import type { Template as LiquidTemplate, Variable } from 'liquidjs';
import type { WorkspaceContext } from '../context';
import type { Issue, IssuePath } from '../errors';
import { htmlLiquid } from './liquid-engine';
import { CAMPAIGN_FIELDS, CONTACT_FIELDS, OPEN_ROOTS, ROOT_VARIABLES, WORKSPACE_FIELDS } from './template-scope';

export interface VariableCatalog {
  attributeKeys: Set<string>;
  /** contact_profiles columns; null while the table does not exist (then any profile field is accepted). */
  profileColumns: Set<string> | null;
}

const PROFILE_HIDDEN = new Set(['contact_id', 'workspace_id']);

/** The names templates of this workspace may use (two statements). */
export async function loadVariableCatalog(ctx: WorkspaceContext): Promise<VariableCatalog> {
  const [attrs, cols] = await Promise.all([
    ctx.db.prisma.attributeDefinition.findMany({ where: { workspaceId: ctx.workspaceId }, select: { key: true } }),
    ctx.db.sql.query<RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'contact_profiles'`,
    ),
  ]);
  const columns = cols[0].map((r) => String(r.name)).filter((c) => !PROFILE_HIDDEN.has(c));
  return { attributeKeys: new Set(attrs.map((a) => a.key)), profileColumns: columns.length ? new Set(columns) : null };
}

const FIELDS: Record<string, ReadonlySet<string>> = {
  contact: new Set(CONTACT_FIELDS),
  campaign: new Set(CAMPAIGN_FIELDS),
  workspace: new Set(WORKSPACE_FIELDS),
};
const ROOTS = new Set<string>(ROOT_VARIABLES);
const OPEN = new Set<string>(OPEN_ROOTS);

/**
 * Checks the global variables of parsed templates; pushes an issue per unknown one and
 * returns the sorted list of variables the templates read.
 */
export function checkVariables(parts: { path: IssuePath; parsed: LiquidTemplate[] }[], catalog: VariableCatalog, issues: Issue[]): string[] {
  const used = new Set<string>();
  for (const { path, parsed } of parts) {
    const globals = htmlLiquid.analyzeSync(parsed).globals;
    for (const variables of Object.values(globals)) {
      for (const v of variables) {
        const problem = unknownPart(v, catalog);
        if (problem) issues.push({ path, message: `line ${v.location.row}, column ${v.location.col}: ${problem}` });
        else used.add(printable(v));
      }
    }
  }
  return [...used].sort();
}

function unknownPart(v: Variable, catalog: VariableCatalog): string | null {
  const [root, field, sub] = v.segments;
  if (typeof root !== 'string' || !ROOTS.has(root)) {
    return `unknown variable "${String(v)}" (templates can use ${[...ROOTS].join(', ')})`;
  }
  if (OPEN.has(root) || typeof field !== 'string') return null;
  if (root === 'profile') {
    if (!catalog.profileColumns || catalog.profileColumns.has(field)) return null;
    return `unknown profile feature "${field}" (known: ${[...catalog.profileColumns].sort().join(', ')})`;
  }
  const fields = FIELDS[root];
  if (!fields) return null;
  if (!fields.has(field)) return `unknown field "${root}.${field}" (known: ${[...fields].join(', ')})`;
  if (root === 'contact' && field === 'attributes' && typeof sub === 'string' && !catalog.attributeKeys.has(sub)) {
    return `unknown attribute "${sub}": define it first (known: ${[...catalog.attributeKeys].sort().join(', ') || 'none'})`;
  }
  return null;
}

/** `contact.attributes.tier`, with dynamic segments shown as [*]. */
function printable(v: Variable): string {
  return v.segments.map((s, i) => (typeof s === 'string' ? (i ? `.${s}` : s) : typeof s === 'number' ? `[${s}]` : '[*]')).join('');
}

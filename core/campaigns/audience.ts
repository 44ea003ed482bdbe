// Who a campaign goes to, as SQL over `contacts c`: the included personas (any of them) or
// every contact, narrowed by the contact filter, minus the excluded personas; then, to be
// eligible, an address, consent (marketing only) and no suppression.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { ValidationError, type Issue, type IssuePath } from '../errors';
import type { AudienceSpec } from './campaign-input';
import { contactFilterSql, type SqlFragment } from './contact-filter-sql';

export type Category = 'MARKETING' | 'TRANSACTIONAL';

/** The pool or one of its connections (inside a transaction). */
type Queryable = Pick<PoolConnection, 'query'>;

/** Checks persona ids and the filter; returns the audience condition (workspace included). */
export async function audienceSql(ctx: WorkspaceContext, audience: AudienceSpec | null | undefined, path: IssuePath): Promise<SqlFragment> {
  const include = audience?.includePersonaIds ?? [];
  const exclude = audience?.excludePersonaIds ?? [];
  await checkPersonas(ctx, include, exclude, path);
  const filter = await contactFilterSql(ctx, audience?.filter ?? null, [...path, 'filter']);
  const parts = ['c.workspace_id = ?'];
  const params: unknown[] = [ctx.workspaceId];
  if (include.length) {
    parts.push('EXISTS (SELECT 1 FROM persona_members pm WHERE pm.persona_id IN (?) AND pm.contact_id = c.id)');
    params.push(include);
  }
  if (exclude.length) {
    parts.push('NOT EXISTS (SELECT 1 FROM persona_members px WHERE px.persona_id IN (?) AND px.contact_id = c.id)');
    params.push(exclude);
  }
  parts.push(`(${filter.sql})`);
  params.push(...filter.params);
  return { sql: parts.join(' AND '), params };
}

/** Who may receive mail of this category: an address, consent for marketing, and no suppression. */
export function eligibilitySql(category: Category): string {
  // An unsubscribe suppresses marketing only; bounces and complaints stop everything.
  const reasons = category === 'MARKETING' ? '' : " AND s.reason <> 'UNSUBSCRIBE'";
  const consent = category === 'MARKETING' ? " AND c.consent_status = 'SUBSCRIBED'" : '';
  return `c.email_normalized IS NOT NULL${consent} AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.workspace_id = c.workspace_id AND s.email_normalized = c.email_normalized${reasons})`;
}

export interface AudienceCounts {
  /** Contacts the audience selects. */
  matched: number;
  noEmail: number;
  notConsenting: number;
  suppressed: number;
  /** Who will get the email. */
  eligible: number;
}

/** Counts the audience and why contacts are left out (one scan). */
export async function countAudience(ctx: WorkspaceContext, where: SqlFragment, category: Category, conn: Queryable = ctx.db.sql): Promise<AudienceCounts> {
  const consentOk = category === 'MARKETING' ? "c.consent_status = 'SUBSCRIBED'" : 'TRUE';
  const reasons = category === 'MARKETING' ? '' : " AND s.reason <> 'UNSUBSCRIBE'";
  const [[row]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS matched,
            COALESCE(SUM(c.email_normalized IS NULL), 0) AS noEmail,
            COALESCE(SUM(c.email_normalized IS NOT NULL AND NOT (${consentOk})), 0) AS notConsenting,
            COALESCE(SUM(c.email_normalized IS NOT NULL AND (${consentOk}) AND EXISTS (SELECT 1 FROM suppressions s WHERE s.workspace_id = c.workspace_id AND s.email_normalized = c.email_normalized${reasons})), 0) AS suppressed
       FROM contacts c WHERE ${where.sql}`,
    where.params,
  );
  const counts = { matched: Number(row.matched), noEmail: Number(row.noEmail), notConsenting: Number(row.notConsenting), suppressed: Number(row.suppressed) };
  return { ...counts, eligible: counts.matched - counts.noEmail - counts.notConsenting - counts.suppressed };
}

async function checkPersonas(ctx: WorkspaceContext, include: number[], exclude: number[], path: IssuePath): Promise<void> {
  const all = [...new Set([...include, ...exclude])];
  if (!all.length) return;
  const found = await ctx.db.prisma.persona.findMany({ where: { workspaceId: ctx.workspaceId, id: { in: all } }, select: { id: true } });
  const known = new Set(found.map((p) => p.id));
  const issues: Issue[] = [];
  include.forEach((id, i) => known.has(id) || issues.push({ path: [...path, 'includePersonaIds', i], message: `persona ${id} not found` }));
  exclude.forEach((id, i) => known.has(id) || issues.push({ path: [...path, 'excludePersonaIds', i], message: `persona ${id} not found` }));
  if (issues.length) throw new ValidationError('invalid audience', issues);
}

/**
 * Each persona's best send hour: the most common preferred hour among its members (ties:
 * the earlier hour). Personas whose members have no preferred hour are left out.
 */
export async function personaBestHours(ctx: WorkspaceContext, personaIds: number[], conn: Queryable = ctx.db.sql): Promise<Map<number, number>> {
  if (!personaIds.length) return new Map();
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT pm.persona_id AS personaId, cp.preferred_hour AS hour, COUNT(*) AS n
       FROM persona_members pm JOIN contact_profiles cp ON cp.contact_id = pm.contact_id
      WHERE pm.persona_id IN (?) AND pm.workspace_id = ? AND cp.preferred_hour IS NOT NULL
      GROUP BY pm.persona_id, cp.preferred_hour`,
    [personaIds, ctx.workspaceId],
  );
  const best = new Map<number, { hour: number; n: number }>();
  for (const r of rows) {
    const cur = best.get(r.personaId);
    const n = Number(r.n);
    if (!cur || n > cur.n || (n === cur.n && r.hour < cur.hour)) best.set(r.personaId, { hour: Number(r.hour), n });
  }
  return new Map([...best].map(([id, v]) => [id, v.hour]));
}

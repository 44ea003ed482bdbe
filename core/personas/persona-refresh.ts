// Materialises persona membership. The members are computed into a temporary table by one
// statement (the compiled rule), then diffed against persona_members in SQL: who entered and
// who left is recorded with the time, the membership is updated, and the size is logged for
// size-over-time charts. All of it costs a fixed number of statements whatever the size.
import type { PoolConnection } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { NotFoundError } from '../errors';
import { membersQuery, type CompiledRule } from './rule-compile';
import { compileDefinition, type StoredPersona } from './persona-definition';
import { loadRuleEnv, referencedPersonas, type RuleEnv } from './rule-env';
import './persona-events';

export interface RefreshResult {
  personaId: number;
  size: number;
  entered: number;
  left: number;
  durationMs: number;
}

/** Recomputes one persona's membership now. */
export async function refreshPersona(ctx: WorkspaceContext, personaId: number, env?: RuleEnv): Promise<RefreshResult> {
  const persona = await ctx.db.prisma.persona.findFirst({ where: { id: personaId, workspaceId: ctx.workspaceId } });
  if (!persona) throw new NotFoundError('persona', personaId);
  const compiled = compileDefinition(persona as StoredPersona, env ?? (await loadRuleEnv(ctx)), { workspaceId: ctx.workspaceId, now: ctx.now() });
  return materialise(ctx, persona.id, compiled);
}

/** Refreshes every persona of the workspace, referenced personas before those that use them. */
export async function refreshAllPersonas(ctx: WorkspaceContext): Promise<RefreshResult[]> {
  const personas = await ctx.db.prisma.persona.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { id: 'asc' } });
  const bySlug = new Map(personas.map((p) => [p.slug, p]));
  const ordered: typeof personas = [];
  const visiting = new Set<string>();
  const visit = (p: (typeof personas)[number]) => {
    if (ordered.includes(p) || visiting.has(p.slug)) return;
    visiting.add(p.slug);
    for (const dep of referencedPersonas(p.definition)) if (bySlug.has(dep)) visit(bySlug.get(dep)!);
    ordered.push(p);
  };
  personas.forEach(visit);
  const env = await loadRuleEnv(ctx);
  const results: RefreshResult[] = [];
  for (const p of ordered) results.push(await refreshPersona(ctx, p.id, env));
  return results;
}

async function materialise(ctx: WorkspaceContext, personaId: number, compiled: CompiledRule): Promise<RefreshResult> {
  const started = Date.now();
  const ws = ctx.workspaceId;
  const now = ctx.now();
  const conn = await ctx.db.sql.getConnection();
  try {
    await conn.query('DROP TEMPORARY TABLE IF EXISTS tp_members');
    await conn.query('CREATE TEMPORARY TABLE tp_members (contact_id INT NOT NULL PRIMARY KEY)');
    const [select, params] = membersQuery(compiled, ws);
    // Read committed (this statement only): the rule's reads take no locks, so a refresh never blocks ingestion.
    await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    const size = await affected(conn, `INSERT INTO tp_members (contact_id) ${select}`, params);

    await conn.beginTransaction();
    let entered = 0;
    let left = 0;
    try {
      // Serialises concurrent refreshes of the same persona (job and on-demand).
      await conn.query('SELECT id FROM personas WHERE id = ? FOR UPDATE', [personaId]);
      entered = await affected(conn,
        `INSERT INTO persona_membership_changes (workspace_id, persona_id, contact_id, \`change\`, occurred_at)
         SELECT ?, ?, t.contact_id, 'ENTERED', ? FROM tp_members t
           LEFT JOIN persona_members m ON m.persona_id = ? AND m.contact_id = t.contact_id
          WHERE m.contact_id IS NULL`,
        [ws, personaId, now, personaId]);
      if (entered) {
        await conn.query(
          `INSERT INTO persona_members (persona_id, contact_id, workspace_id, joined_at)
           SELECT ?, t.contact_id, ?, ? FROM tp_members t
             LEFT JOIN persona_members m ON m.persona_id = ? AND m.contact_id = t.contact_id
            WHERE m.contact_id IS NULL`,
          [personaId, ws, now, personaId]);
      }
      left = await affected(conn,
        `INSERT INTO persona_membership_changes (workspace_id, persona_id, contact_id, \`change\`, occurred_at)
         SELECT ?, m.persona_id, m.contact_id, 'LEFT', ? FROM persona_members m
           LEFT JOIN tp_members t ON t.contact_id = m.contact_id
          WHERE m.persona_id = ? AND t.contact_id IS NULL`,
        [ws, now, personaId]);
      if (left) {
        await conn.query(
          'DELETE m FROM persona_members m LEFT JOIN tp_members t ON t.contact_id = m.contact_id WHERE m.persona_id = ? AND t.contact_id IS NULL',
          [personaId]);
      }
      const durationMs = Date.now() - started;
      await conn.query('UPDATE personas SET member_count = ?, refreshed_at = ? WHERE id = ?', [size, now, personaId]);
      await conn.query(
        'INSERT INTO persona_refreshes (workspace_id, persona_id, size, entered, `left`, duration_ms, refreshed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [ws, personaId, size, entered, left, durationMs, now]);
      await conn.commit();
    } catch (err) {
      await conn.rollback().catch(() => {});
      throw err;
    }
    const durationMs = Date.now() - started;
    ctx.events.emit('persona.refreshed', { workspaceId: ws, personaId, size, durationMs });
    if (entered || left) ctx.events.emit('persona.membership.changed', { workspaceId: ws, personaId, entered, left, size });
    return { personaId, size, entered, left, durationMs };
  } finally {
    await conn.query('DROP TEMPORARY TABLE IF EXISTS tp_members').catch(() => {});
    conn.release();
  }
}

async function affected(conn: PoolConnection, sql: string, params: unknown[]): Promise<number> {
  const [res] = await conn.query(sql, params);
  return (res as { affectedRows: number }).affectedRows;
}

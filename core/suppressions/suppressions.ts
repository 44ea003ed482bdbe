import type { WorkspaceContext } from '../context';
import { NotFoundError, ValidationError } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { chunk } from '../db/sql-helpers';
import { checkEmail, normalizeEmail } from '../contacts/email';

export type SuppressionReason = 'HARD_BOUNCE' | 'COMPLAINT' | 'UNSUBSCRIBE' | 'MANUAL' | 'INVALID';

/** Adds addresses to the suppression list (idempotent: an existing entry keeps its first reason). */
export async function addSuppressions(
  ctx: WorkspaceContext,
  args: { emails: string[]; reason: SuppressionReason; source?: string; note?: string },
): Promise<number> {
  const normalized: string[] = [];
  args.emails.forEach((e, i) => {
    const check = checkEmail(e);
    if (!check.ok) throw ValidationError.at(['emails', i], check.message);
    normalized.push(check.normalized);
  });
  let added = 0;
  for (const part of chunk([...new Set(normalized)], 1000)) {
    const [res] = await ctx.db.sql.query(
      'INSERT IGNORE INTO suppressions (workspace_id, email_normalized, reason, source, note, created_at) VALUES ?',
      [part.map((e) => [ctx.workspaceId, e, args.reason, args.source ?? null, args.note ?? null, ctx.now()])],
    );
    added += (res as { affectedRows: number }).affectedRows;
  }
  if (added) {
    await writeAudit(ctx, { action: 'suppressions.added', targetType: 'Suppression', details: { count: added, reason: args.reason } });
    ctx.events.emit('suppression.added', { workspaceId: ctx.workspaceId, emails: normalized, reason: args.reason });
  }
  return added;
}

export async function removeSuppression(ctx: WorkspaceContext, email: string): Promise<void> {
  const { count } = await ctx.db.prisma.suppression.deleteMany({ where: { workspaceId: ctx.workspaceId, emailNormalized: normalizeEmail(email) } });
  if (!count) throw new NotFoundError('suppression', email);
  await writeAudit(ctx, { action: 'suppression.removed', targetType: 'Suppression', targetId: normalizeEmail(email) });
}

/** The subset of `emails` (normalised) that is suppressed. */
export async function suppressedAmong(ctx: WorkspaceContext, emails: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk([...new Set(emails.map(normalizeEmail))], 2000)) {
    const rows = await ctx.db.prisma.suppression.findMany({ where: { workspaceId: ctx.workspaceId, emailNormalized: { in: part } }, select: { emailNormalized: true } });
    rows.forEach((r) => out.add(r.emailNormalized));
  }
  return out;
}

import type { Prisma } from '../db/prisma-client';
import type { WorkspaceContext } from '../context';

type AuditClient = { auditLog: { create(args: { data: Prisma.AuditLogUncheckedCreateInput }): Promise<unknown> } };

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
}

/** Records who did what. Pass the transaction client so the entry commits with the change. */
export async function writeAudit(ctx: WorkspaceContext, entry: AuditEntry, client: AuditClient = ctx.db.prisma): Promise<void> {
  await client.auditLog.create({
    data: {
      workspaceId: ctx.workspaceId,
      actorType: ctx.actor.type,
      actorId: ctx.actor.type === 'api_key' ? String(ctx.actor.id) : ctx.actor.type === 'plugin' ? ctx.actor.name : (ctx.actor.name ?? null),
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId === undefined ? null : String(entry.targetId),
      details: (entry.details ?? undefined) as Prisma.InputJsonValue | undefined,
      requestId: ctx.requestId ?? null,
    },
  });
}

import { builder } from '../builder';
import { ws } from '../context';

builder.prismaNode('AuditLog', {
  name: 'AuditEntry',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: BigInt(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  authScopes: { admin: true },
  description: 'Who changed what: API keys, plugins and the system, with the request id.',
  fields: (t) => ({
    actorType: t.exposeString('actorType', { description: 'api_key, plugin or system.' }),
    actorId: t.exposeString('actorId', { nullable: true }),
    action: t.exposeString('action'),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.exposeString('targetId', { nullable: true }),
    details: t.field({ type: 'JSON', nullable: true, resolve: (a) => a.details ?? null }),
    requestId: t.exposeString('requestId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.prismaConnection({
    type: 'AuditLog',
    cursor: 'id',
    authScopes: { admin: true },
    args: { action: t.arg.string(), targetType: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      ctx.core.db.prisma.auditLog.findMany({
        ...query,
        where: { workspaceId: ws(ctx).workspaceId, action: args.action ?? undefined, targetType: args.targetType ?? undefined },
        orderBy: { id: 'desc' },
      }),
  }),
}));

import { builder } from '../builder';
import { ws } from '../context';
import { addSuppressions, removeSuppression } from '../../core/suppressions/suppressions';

export const SuppressionReasonEnum = builder.enumType('SuppressionReason', {
  values: ['HARD_BOUNCE', 'COMPLAINT', 'UNSUBSCRIBE', 'MANUAL', 'INVALID'] as const,
});

builder.prismaNode('Suppression', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    email: t.exposeString('emailNormalized'),
    reason: t.expose('reason', { type: SuppressionReasonEnum }),
    source: t.exposeString('source', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  suppressions: t.prismaConnection({
    type: 'Suppression',
    cursor: 'id',
    description: 'Addresses that are never sent marketing email (bounces, complaints, unsubscribes, manual).',
    args: { search: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      ctx.core.db.prisma.suppression.findMany({
        ...query,
        where: { workspaceId: ws(ctx).workspaceId, emailNormalized: args.search ? { contains: args.search.toLowerCase() } : undefined },
        orderBy: { id: 'desc' },
      }),
  }),
}));

builder.mutationFields((t) => ({
  addSuppressions: t.int({
    description: 'Suppresses addresses; returns how many were new.',
    args: {
      emails: t.arg.stringList({ required: true }),
      reason: t.arg({ type: SuppressionReasonEnum, required: true, defaultValue: 'MANUAL' }),
      note: t.arg.string(),
    },
    resolve: (_root, args, ctx) => addSuppressions(ws(ctx), { emails: args.emails, reason: args.reason, source: 'api', note: args.note ?? undefined }),
  }),
  removeSuppression: t.boolean({
    args: { email: t.arg.string({ required: true }) },
    resolve: async (_root, { email }, ctx) => {
      await removeSuppression(ws(ctx), email);
      return true;
    },
  }),
}));

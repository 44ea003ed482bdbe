import { builder } from '../builder';
import { ws } from '../context';

builder.prismaNode('ImportRun', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    source: t.exposeString('source'),
    filename: t.exposeString('filename', { nullable: true }),
    status: t.exposeString('status'),
    totalRows: t.exposeInt('totalRows'),
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated'),
    unchanged: t.exposeInt('unchanged'),
    failed: t.exposeInt('failed'),
    errors: t.field({ type: 'JSON', resolve: (r) => r.errors ?? [] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  importRuns: t.prismaConnection({
    type: 'ImportRun',
    cursor: 'id',
    resolve: (query, _root, _args, ctx) =>
      ctx.core.db.prisma.importRun.findMany({ ...query, where: { workspaceId: ws(ctx).workspaceId }, orderBy: { id: 'desc' } }),
  }),
}));

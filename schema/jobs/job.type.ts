import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { requestJobCancel } from '../../core/jobs/job-queue';
import { NotFoundError } from '../../core/errors';

export const JobStatusEnum = builder.enumType('JobStatus', { values: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const });

export const JobRef = builder.prismaNode('Job', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: BigInt(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  description: 'A background job (model training, persona refresh, scheduled launch...).',
  fields: (t) => ({
    kind: t.exposeString('kind'),
    status: t.expose('status', { type: JobStatusEnum }),
    progress: t.exposeFloat('progress', { description: '0 to 1.' }),
    progressMessage: t.exposeString('progressMessage', { nullable: true }),
    result: t.field({ type: 'JSON', nullable: true, resolve: (j) => j.result ?? null }),
    error: t.exposeString('error', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  jobs: t.prismaConnection({
    type: 'Job',
    cursor: 'id',
    args: { kind: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      ctx.core.db.prisma.job.findMany({ ...query, where: { workspaceId: ws(ctx).workspaceId, kind: args.kind ?? undefined }, orderBy: { id: 'desc' } }),
  }),
}));

builder.mutationFields((t) => ({
  cancelJob: t.prismaField({
    type: 'Job',
    description: 'Cancels a queued job at once, or a running one at its next progress report.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const jobId = BigInt(numericId(String(id), 'Job', ['id']));
      await requestJobCancel(ctx.core, { id: jobId, workspaceId: ws(ctx).workspaceId });
      const job = await ctx.core.db.prisma.job.findFirst({ ...query, where: { id: jobId, workspaceId: ws(ctx).workspaceId } });
      if (!job) throw new NotFoundError('job', String(id));
      return job;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  jobUpdated: t.field({
    type: JobRef,
    description: 'Emits the job each time its status or progress changes, until it finishes.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async function* (_root, { id }, ctx) {
      const jobId = String(numericId(String(id), 'Job', ['id']));
      const workspaceId = ws(ctx).workspaceId;
      const exists = await ctx.core.db.prisma.job.findFirst({ where: { id: BigInt(jobId), workspaceId }, select: { id: true } });
      if (!exists) throw new NotFoundError('job', String(id));
      for await (const e of ctx.pubsub.subscribe('job.updated')) {
        if (e.workspaceId !== workspaceId || e.jobId !== jobId) continue;
        yield e;
        if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(e.status)) return;
      }
    },
    // Re-read through the workspace scope: the event carries ids only.
    resolve: (e, _args, ctx) => ctx.core.db.prisma.job.findFirstOrThrow({ where: { id: BigInt(e.jobId), workspaceId: ws(ctx).workspaceId } }),
  }),
}));

// Training as a background job: the request is checked against the data first (so bad input
// fails the mutation, before anything is queued), then a worker runs it, reporting progress
// as `model.training.progress` events and honouring cancellation between epochs.
import { forWorkspace, type WorkspaceContext } from '../context';
import { AppError, NotFoundError } from '../errors';
import { defineJob, type JobHandler } from '../jobs/job-handler';
import { enqueueJob, requestJobCancel } from '../jobs/job-queue';
import type { TrainingPhase, TrainingProgressEvent } from './model-events';
import { planTraining, type TrainingPlan, type TrainingRequest } from './training-plan';
import { runTraining, type TrainingReport } from './training-run';
import { SCORE_JOB_KIND, TRAIN_JOB_KIND } from './job-kinds';

export { TRAIN_JOB_KIND };
const HEARTBEAT_MS = 1000;

/** Validates the request against the data and queues the training job (returns the job row). */
export async function startModelTraining(ctx: WorkspaceContext, req: TrainingRequest) {
  const plan = await planTraining(ctx, req);
  return enqueueJob(ctx, { workspaceId: ctx.workspaceId, kind: TRAIN_JOB_KIND, payload: { plan } as unknown as Record<string, unknown>, maxAttempts: 2 });
}

/**
 * Cancels a training job: a queued one at once (announced here, since no worker will), a
 * running one at its next epoch. Returns false when it had already finished.
 */
export async function cancelModelTraining(ctx: WorkspaceContext, jobId: bigint): Promise<boolean> {
  const job = await ctx.db.prisma.job.findFirst({ where: { id: jobId, workspaceId: ctx.workspaceId, kind: TRAIN_JOB_KIND } });
  if (!job) throw new NotFoundError('training job', String(jobId));
  const accepted = await requestJobCancel(ctx, { id: jobId, workspaceId: ctx.workspaceId });
  const after = await ctx.db.prisma.job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (accepted && after?.status === 'CANCELLED') {
    const plan = job.payload as { plan?: TrainingPlan } | null;
    ctx.events.emit('model.training.progress', {
      workspaceId: ctx.workspaceId, jobId: String(jobId), targetKey: plan?.plan?.targetKey ?? '', phase: 'CANCELLED', fraction: job.progress,
      epoch: null, totalEpochs: null, loss: null, validationLoss: null, modelId: null, message: 'cancelled before it started',
    });
  }
  return accepted;
}

export function trainingJobHandler(): JobHandler {
  return defineJob({
    key: TRAIN_JOB_KIND,
    leaseMs: 120_000,
    async run({ core, job, signal, progress }) {
      if (job.workspaceId === null) throw Object.assign(new Error('a training job needs a workspace'), { permanent: true });
      const ctx = forWorkspace(core, job.workspaceId, { type: 'system', name: 'model-training' });
      const plan = job.payload.plan as TrainingPlan;
      const base = { workspaceId: job.workspaceId, jobId: String(job.id), targetKey: plan.targetKey };
      const emit = (phase: TrainingPhase, r: Partial<TrainingReport> & { fraction: number }, extra: Partial<TrainingProgressEvent> = {}) =>
        core.events.emit('model.training.progress', {
          ...base, phase, fraction: r.fraction, epoch: r.epoch ?? null, totalEpochs: r.totalEpochs ?? null, loss: r.loss ?? null,
          validationLoss: r.validationLoss ?? null, modelId: null, message: r.message ?? null, ...extra,
        });
      let lastBeat = 0;
      let lastPhase: TrainingPhase | null = null;
      const report = (r: TrainingReport) => {
        emit(r.phase, r);
        // The heartbeat renews the lease and is where a cancellation request is noticed.
        const now = Date.now();
        if (now - lastBeat >= HEARTBEAT_MS || r.phase !== lastPhase) {
          lastBeat = now;
          lastPhase = r.phase;
          progress(r.fraction, r.message ?? `${r.phase.toLowerCase()}${r.epoch ? ` epoch ${r.epoch}/${r.totalEpochs}` : ''}`).catch((err) => core.log.warn({ err }, 'training heartbeat failed'));
        }
      };
      try {
        const checkpoint = () => progress(0.95, 'registering');
        const result = await runTraining(ctx, { plan, jobId: job.id, signal, report, checkpoint });
        emit('COMPLETED', { fraction: 1, message: `registered version ${result.version}` }, { modelId: result.modelId });
        if (result.activated) {
          // A newly active version replaces every score: refresh them now, not at the next schedule.
          await enqueueJob(core, { workspaceId: job.workspaceId, kind: SCORE_JOB_KIND, payload: { targetId: plan.targetId }, dedupeKey: `target:${plan.targetId}`, dedupeAgainst: 'queued' });
        }
        return result;
      } catch (err) {
        const cancelled = signal.aborted;
        // A worker shutting down hands the job back to the queue: it is neither failed nor cancelled.
        if (cancelled && (signal.reason as Error | undefined)?.message === 'worker stopping') throw err;
        // Data and input problems will not fix themselves on retry.
        if (err instanceof AppError) Object.assign(err, { permanent: true });
        const final = cancelled || (err as { permanent?: boolean }).permanent || job.attempts >= job.maxAttempts;
        const reason = err instanceof Error ? err.message : String(err);
        emit(cancelled ? 'CANCELLED' : final ? 'FAILED' : 'RETRYING', { fraction: 0, message: cancelled ? 'cancelled' : reason });
        throw err;
      }
    },
  });
}

// Scoring as a background job, and the schedule that queues it: a target's scores are
// refreshed when they are older than its `score_refresh_hours` (and right after a new version
// is activated, see training-job.ts).
import type { RowDataPacket } from 'mysql2/promise';
import { forWorkspace, type CoreContext, type WorkspaceContext } from '../context';
import { AppError } from '../errors';
import { defineJob, type JobHandler } from '../jobs/job-handler';
import { enqueueJob } from '../jobs/job-queue';
import { getActiveModel } from './model-registry';
import { getModelTarget, getModelTargetById } from './model-targets';
import { scoreTarget } from './scoring';
import { SCORE_JOB_KIND } from './job-kinds';
import { pollingLoop, type BackgroundLoop } from '../background-loop';

export { SCORE_JOB_KIND };

/** Queues a scoring run for a target now (one queued run per target at a time). */
export async function startScoring(ctx: WorkspaceContext, args: { target: string }) {
  const target = await getModelTarget(ctx, args.target);
  await getActiveModel(ctx, target); // no active model: say so now, not in a failed job later
  return enqueueJob(ctx, { workspaceId: ctx.workspaceId, kind: SCORE_JOB_KIND, payload: { targetId: target.id }, dedupeKey: `target:${target.id}` });
}

export function scoringJobHandler(): JobHandler {
  return defineJob({
    key: SCORE_JOB_KIND,
    leaseMs: 120_000,
    async run({ core, job, signal, progress }) {
      if (job.workspaceId === null) throw Object.assign(new Error('a scoring job needs a workspace'), { permanent: true });
      const ctx = forWorkspace(core, job.workspaceId, { type: 'system', name: 'model-scoring' });
      try {
        const target = await getModelTargetById(ctx, Number(job.payload.targetId));
        const result = await scoreTarget(ctx, { target: target.key, signal, onProgress: (done, total) => progress(total ? done / total : 1, `${done}/${total} contacts`) });
        return { ...result, scoredAt: result.scoredAt.toISOString() };
      } catch (err) {
        if (err instanceof AppError) Object.assign(err, { permanent: true });
        throw err;
      }
    },
  });
}

/** Queues scoring for every target whose scores are due; returns how many were queued. */
export async function enqueueDueScoring(core: CoreContext): Promise<number> {
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    `SELECT id, workspace_id FROM model_targets
      WHERE active_model_id IS NOT NULL AND (last_scored_at IS NULL OR last_scored_at < ? - INTERVAL score_refresh_hours HOUR)`,
    [core.now()],
  );
  for (const r of rows) {
    await enqueueJob(core, { workspaceId: r.workspace_id, kind: SCORE_JOB_KIND, payload: { targetId: r.id }, dedupeKey: `target:${r.id}` });
  }
  return rows.length;
}

/** A worker loop that checks for due scoring every `intervalMs`. */
export function createScoringSchedule(core: CoreContext, opts: { intervalMs?: number } = {}): BackgroundLoop {
  return pollingLoop({
    name: 'model-scoring-schedule',
    step: () => enqueueDueScoring(core),
    delayMs: () => opts.intervalMs ?? 60_000,
    onError: (err) => core.log.warn({ err }, 'scheduling model scoring failed'),
  });
}

// Runs background jobs from the jobs table. Any number of workers may run (in API processes
// or dedicated worker processes); leases make a dead worker's job available again.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { CoreContext } from '../../core/context';
import { claimJobs, completeJob, failJob, heartbeatJob, markJobCancelled, releaseJob, type ClaimedJob } from '../../core/jobs/job-queue';
import { pollingLoop, type BackgroundLoop } from '../../core/background-loop';

const DEFAULT_LEASE_MS = 60_000;

/** `workspaceId`: serve one workspace only (a dedicated worker, or a test that must not run others' jobs). */
export function createJobWorker(core: CoreContext, opts: { concurrency?: number; pollMs?: number; workspaceId?: number } = {}): BackgroundLoop {
  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const concurrency = opts.concurrency ?? 2;
  const pollMs = opts.pollMs ?? 1000;
  const running = new Map<bigint, AbortController>();
  // A job aborted because this worker stops is handed back to the queue, not cancelled.
  const stopping = () => !loop.running;

  const announce = (job: ClaimedJob, status: string, progress: number) => {
    if (job.workspaceId !== null) core.events.emit('job.updated', { workspaceId: job.workspaceId, jobId: String(job.id), status, progress });
  };

  const run = async (job: ClaimedJob) => {
    const handler = core.extensions.jobs.get(job.kind);
    const abort = new AbortController();
    running.set(job.id, abort);
    const leaseMs = handler?.leaseMs ?? DEFAULT_LEASE_MS;
    const log = core.log.child({ job: String(job.id), kind: job.kind });
    try {
      if (!handler) throw new Error(`no handler registered for job kind "${job.kind}"`);
      // Claims take a default lease; switch to the handler's own before it starts.
      if (leaseMs !== DEFAULT_LEASE_MS) await heartbeatJob(core, { id: job.id, owner, leaseMs });
      const result = await handler.run({
        core,
        job,
        signal: abort.signal,
        progress: async (fraction, message) => {
          const progress = Math.max(0, Math.min(1, fraction));
          const keep = await heartbeatJob(core, { id: job.id, owner, leaseMs, progress, message });
          if (!keep) abort.abort(new Error('cancelled'));
          else announce(job, 'RUNNING', progress);
        },
      });
      if (stopping() && abort.signal.aborted) await releaseJob(core, { id: job.id, owner });
      else if (abort.signal.aborted) await markJobCancelled(core, job.id);
      else await completeJob(core, job.id, result);
    } catch (err) {
      if (stopping() && abort.signal.aborted) await releaseJob(core, { id: job.id, owner });
      else if (abort.signal.aborted) await markJobCancelled(core, job.id);
      else {
        log.warn({ err }, 'job failed');
        await failJob(core, job, err instanceof Error ? err.message : String(err), { retryable: !(err as { permanent?: boolean }).permanent });
      }
    } finally {
      running.delete(job.id);
      const row = await core.db.prisma.job.findUnique({ where: { id: job.id }, select: { status: true, progress: true } }).catch(() => null);
      if (row) announce(job, row.status, row.progress);
    }
  };

  const loop = pollingLoop({
    name: 'jobs',
    step: async () => {
      const free = concurrency - running.size;
      const kinds = core.extensions.jobs.list().map((h) => h.key);
      if (free <= 0 || !kinds.length) return 0;
      const jobs = await claimJobs(core, { kinds, owner, leaseMs: DEFAULT_LEASE_MS, limit: free, workspaceId: opts.workspaceId });
      for (const j of jobs) void run(j);
      return jobs.length;
    },
    // Claimed something: there may be more queued, look again soon.
    delayMs: (claimed) => (claimed ? 50 : pollMs),
    onError: (err) => core.log.warn({ err }, 'job poll failed'),
    afterStop: async () => {
      for (const a of running.values()) a.abort(new Error('worker stopping'));
      while (running.size) await new Promise((r) => setTimeout(r, 20));
    },
  });
  return loop;
}

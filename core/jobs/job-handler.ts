import type { CoreContext } from '../context';
import type { ClaimedJob } from './job-queue';

export interface JobRunContext {
  core: CoreContext;
  job: ClaimedJob;
  /** Aborted when the job is cancelled or the worker shuts down. */
  signal: AbortSignal;
  /** Records progress (0..1) and renews the lease; call it at least every lease/3. */
  progress(fraction: number, message?: string): Promise<void>;
}

/** Runs one kind of background job. Handlers are idempotent: a job may run again after a crash. */
export interface JobHandler {
  key: string;
  /** Lease length; a worker silent for longer is presumed dead. Default 60 s. */
  leaseMs?: number;
  run(ctx: JobRunContext): Promise<unknown>;
}

export function defineJob(handler: JobHandler): JobHandler {
  return handler;
}

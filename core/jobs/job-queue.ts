// A durable job queue in the jobs table. Workers claim due jobs with
// SELECT ... FOR UPDATE SKIP LOCKED and a lease: a worker that dies loses its lease and the
// job is claimed again by another. Handlers must therefore be idempotent.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { withSqlTransaction } from '../db/sql-helpers';
import type { Prisma } from '../db/prisma-client';

export interface EnqueueArgs {
  workspaceId: number | null;
  kind: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
  /** At most one live job per (kind, dedupeKey): enqueueing again returns the existing one. */
  dedupeKey?: string;
  /**
   * Which jobs count as "the existing one": 'live' (queued or running, the default) or
   * 'queued' — a job whose inputs changed while a run is in progress (a newly activated
   * model) must run again after it, so only a still-queued twin may absorb it.
   */
  dedupeAgainst?: 'live' | 'queued';
}

export interface ClaimedJob {
  id: bigint;
  workspaceId: number | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/** Adds a job; with a dedupe key, returns the existing live job instead of a second one. */
export async function enqueueJob(core: CoreContext, args: EnqueueArgs) {
  if (args.dedupeKey) {
    const statuses: ('QUEUED' | 'RUNNING')[] = args.dedupeAgainst === 'queued' ? ['QUEUED'] : ['QUEUED', 'RUNNING'];
    const live = await core.db.prisma.job.findFirst({ where: { kind: args.kind, dedupeKey: args.dedupeKey, status: { in: statuses } } });
    if (live) return live;
  }
  return core.db.prisma.job.create({
    data: {
      workspaceId: args.workspaceId,
      kind: args.kind,
      payload: (args.payload ?? {}) as Prisma.InputJsonValue,
      runAt: args.runAt ?? core.now(),
      maxAttempts: args.maxAttempts ?? 3,
      dedupeKey: args.dedupeKey ?? null,
    },
  });
}

/** Claims up to `limit` due jobs of the given kinds for `owner`, leased for `leaseMs` (optionally of one workspace only). */
export async function claimJobs(core: CoreContext, args: { kinds: string[]; owner: string; leaseMs: number; limit: number; workspaceId?: number }): Promise<ClaimedJob[]> {
  if (!args.kinds.length) return [];
  // READ COMMITTED: under REPEATABLE READ the scan keeps locks on every row it read (other kinds
  // and workspaces included), and other workers' SKIP LOCKED then passes over jobs they could run.
  return withSqlTransaction(core.db.sql, async (conn) => {
    const now = core.now();
    // Due queued jobs, and running jobs whose worker stopped renewing its lease.
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, workspace_id, kind, payload, attempts, max_attempts FROM jobs
        WHERE kind IN (?) AND ((status = 'QUEUED' AND run_at <= ?) OR (status = 'RUNNING' AND lease_until < ?))
          ${args.workspaceId === undefined ? '' : 'AND workspace_id = ?'}
        ORDER BY run_at LIMIT ? FOR UPDATE SKIP LOCKED`,
      [args.kinds, now, now, ...(args.workspaceId === undefined ? [] : [args.workspaceId]), args.limit],
    );
    if (!rows.length) return [];
    await conn.query(
      `UPDATE jobs SET status = 'RUNNING', lease_owner = ?, lease_until = ?, attempts = attempts + 1, started_at = COALESCE(started_at, ?) WHERE id IN (?)`,
      [args.owner, new Date(now.getTime() + args.leaseMs), now, rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      id: BigInt(r.id),
      workspaceId: r.workspace_id,
      kind: r.kind,
      payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload ?? {}),
      attempts: r.attempts + 1,
      maxAttempts: r.max_attempts,
    }));
  }, { readCommitted: true });
}

/** Extends the lease and records progress; returns false when cancellation was requested. */
export async function heartbeatJob(core: CoreContext, job: { id: bigint; owner: string; leaseMs: number; progress?: number; message?: string }): Promise<boolean> {
  const [res] = await core.db.sql.query(
    'UPDATE jobs SET lease_until = ?, progress = COALESCE(?, progress), progress_message = COALESCE(?, progress_message) WHERE id = ? AND lease_owner = ?',
    [new Date(core.now().getTime() + job.leaseMs), job.progress ?? null, job.message?.slice(0, 255) ?? null, job.id, job.owner],
  );
  const [[row]] = await core.db.sql.query<RowDataPacket[]>('SELECT cancel_requested FROM jobs WHERE id = ?', [job.id]);
  return (res as { affectedRows: number }).affectedRows === 1 && !row?.cancel_requested;
}

export async function completeJob(core: CoreContext, id: bigint, result?: unknown): Promise<void> {
  await core.db.prisma.job.update({
    where: { id },
    data: { status: 'SUCCEEDED', progress: 1, result: (result ?? undefined) as Prisma.InputJsonValue | undefined, finishedAt: core.now(), leaseOwner: null, leaseUntil: null },
  });
}

/** Records a failure: retried later with exponential backoff while attempts remain. */
export async function failJob(core: CoreContext, job: ClaimedJob, error: string, opts: { retryable?: boolean } = {}): Promise<void> {
  const retry = (opts.retryable ?? true) && job.attempts < job.maxAttempts;
  const backoffMs = Math.min(3600_000, 1000 * 2 ** job.attempts);
  await core.db.prisma.job.update({
    where: { id: job.id },
    data: retry
      ? { status: 'QUEUED', error: error.slice(0, 65000), runAt: new Date(core.now().getTime() + backoffMs), leaseOwner: null, leaseUntil: null }
      : { status: 'FAILED', error: error.slice(0, 65000), finishedAt: core.now(), leaseOwner: null, leaseUntil: null },
  });
}

export async function markJobCancelled(core: CoreContext, id: bigint): Promise<void> {
  await core.db.prisma.job.update({ where: { id }, data: { status: 'CANCELLED', finishedAt: core.now(), leaseOwner: null, leaseUntil: null } });
}

/** Asks for a job to stop: a queued job is cancelled at once, a running one at its next heartbeat. */
export async function requestJobCancel(core: CoreContext, args: { id: bigint; workspaceId: number }): Promise<boolean> {
  const job = await core.db.prisma.job.findFirst({ where: { id: args.id, workspaceId: args.workspaceId } });
  if (!job || !['QUEUED', 'RUNNING'].includes(job.status)) return false;
  if (job.status === 'QUEUED') {
    const { count } = await core.db.prisma.job.updateMany({ where: { id: args.id, status: 'QUEUED' }, data: { status: 'CANCELLED', cancelRequested: true, finishedAt: core.now() } });
    if (count) {
      // No worker will ever report on it: tell subscribers here.
      core.events.emit('job.updated', { workspaceId: args.workspaceId, jobId: String(args.id), status: 'CANCELLED', progress: job.progress });
      return true;
    }
  }
  await core.db.prisma.job.update({ where: { id: args.id }, data: { cancelRequested: true } });
  return true;
}

/** Hands a job back to the queue untouched (its worker is shutting down); the attempt is not counted. */
export async function releaseJob(core: CoreContext, job: { id: bigint; owner: string }): Promise<void> {
  await core.db.sql.query(
    "UPDATE jobs SET status = 'QUEUED', lease_owner = NULL, lease_until = NULL, attempts = GREATEST(attempts - 1, 0) WHERE id = ? AND lease_owner = ?",
    [job.id, job.owner],
  );
}

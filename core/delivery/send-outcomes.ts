// Writing down what happened to a batch: skipped and deferred recipients before the call,
// then the provider's verdict per message after it. Every update is conditional on our
// lease, and set-based (a derived table joined to messages) so a batch costs a handful of
// statements whatever its size. Changes that move analytics counters go through trackedWrite.
import type { PoolConnection } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { chunk } from '../db/sql-helpers';
import type { SendOutcome } from '../ports/email-provider';
import { retryDelayMs, type BackoffPolicy } from './backoff';
import type { SkipReason } from './recipient-checks';
import { trackedWrite } from './tracked-write';

type Queryable = Pick<PoolConnection, 'query'>;

type Row = (string | number | Date | null)[];

/** UPDATE messages m JOIN (rows as columns) x ON m.id = x.id SET … WHERE m.lease_owner = owner. */
async function updateFromRows(conn: Queryable, columns: string[], rows: Row[], set: string, owner: string, extraWhere = ''): Promise<void> {
  for (const part of chunk(rows, 500)) {
    const derived = part.map(() => `SELECT ${columns.map((c) => `? AS ${c}`).join(', ')}`).join(' UNION ALL ');
    await conn.query(`UPDATE messages m JOIN (${derived}) x ON m.id = x.id SET ${set} WHERE m.lease_owner = ? ${extraWhere}`, [...part.flat(), owner]);
  }
}

export async function recordSkips(core: CoreContext, owner: string, skips: { id: bigint; reason: SkipReason }[]): Promise<void> {
  if (!skips.length) return;
  await trackedWrite(core, skips.map((s) => s.id), (conn) => updateFromRows(
    conn, ['id', 'reason'], skips.map((s) => [String(s.id), s.reason]),
    "m.status = 'SKIPPED', m.skip_reason = x.reason, m.lease_owner = NULL, m.lease_until = NULL, m.updated_at = NOW(3)",
    owner, "AND m.status = 'SENDING'",
  ));
}

// QUEUED again with a later send time: no counter depends on it.
export async function recordDefers(core: CoreContext, owner: string, defers: { id: bigint; until: Date }[]): Promise<void> {
  await updateFromRows(
    core.db.sql, ['id', 'until_at'], defers.map((d) => [String(d.id), d.until]),
    "m.status = 'QUEUED', m.send_at = x.until_at, m.lease_owner = NULL, m.lease_until = NULL, m.updated_at = NOW(3)",
    owner, "AND m.status = 'SENDING'",
  );
}

/** Messages that could not be rendered: a permanent failure of ours, with the reason. */
export async function recordRenderFailures(core: CoreContext, owner: string, failures: { id: bigint; error: string }[]): Promise<void> {
  if (!failures.length) return;
  await trackedWrite(core, failures.map((f) => f.id), (conn) => updateFromRows(
    conn, ['id', 'err'], failures.map((f) => [String(f.id), f.error.slice(0, 1000)]),
    "m.status = 'FAILED', m.error = x.err, m.lease_owner = NULL, m.lease_until = NULL, m.updated_at = NOW(3)",
    owner, "AND m.status = 'SENDING'",
  ));
}

export interface OutcomeCounts {
  sent: number;
  failed: number;
  retried: number;
  /** Every outcome was retryable: the provider, not the messages, is the problem. */
  providerFailing: boolean;
  lastError?: string;
}

/** Applies the provider's outcomes (same order as `ids`); `attempts` is each message's attempt number. */
export async function recordOutcomes(
  core: CoreContext,
  args: { owner: string; ids: bigint[]; attempts: number[]; outcomes: SendOutcome[]; policy: BackoffPolicy; random?: () => number },
): Promise<OutcomeCounts> {
  const now = core.now();
  const accepted: Row[] = [];
  const failed: Row[] = [];
  const retry: Row[] = [];
  let lastError: string | undefined;
  args.ids.forEach((id, i) => {
    const o: SendOutcome = args.outcomes[i] ?? { status: 'retryable', reason: 'the provider returned no outcome for this message' };
    if (o.status === 'accepted') accepted.push([String(id), o.providerMessageId?.slice(0, 191) ?? null, now]);
    else if (o.status === 'rejected') failed.push([String(id), o.reason.slice(0, 1000)]);
    else {
      lastError = o.reason;
      if (args.attempts[i] >= args.policy.maxAttempts) failed.push([String(id), `gave up after ${args.attempts[i]} attempts; last error: ${o.reason}`.slice(0, 1000)]);
      else retry.push([String(id), new Date(now.getTime() + retryDelayMs(args.policy, args.attempts[i], o.retryAfterMs, args.random)), o.reason.slice(0, 1000)]);
    }
  });
  await trackedWrite(core, args.ids, async (conn) => {
    // A webhook may already have moved an accepted message on (DELIVERED...): keep that status.
    await updateFromRows(
      conn, ['id', 'pmid', 'sent'], accepted,
      `m.status = IF(m.status IN ('DISPATCHING', 'UNCERTAIN'), 'SENT', m.status), m.sent_at = COALESCE(m.sent_at, x.sent), m.provider_message_id = COALESCE(x.pmid, m.provider_message_id),
       m.error = NULL, m.lease_owner = NULL, m.lease_until = NULL, m.updated_at = NOW(3)`,
      args.owner,
    );
    await updateFromRows(
      conn, ['id', 'err'], failed,
      "m.status = 'FAILED', m.error = x.err, m.lease_owner = NULL, m.lease_until = NULL, m.updated_at = NOW(3)",
      args.owner, "AND m.status IN ('DISPATCHING', 'UNCERTAIN')",
    );
    await updateFromRows(
      conn, ['id', 'retry_at', 'err'], retry,
      "m.status = 'QUEUED', m.send_at = x.retry_at, m.error = x.err, m.lease_owner = NULL, m.lease_until = NULL, m.updated_at = NOW(3)",
      args.owner, "AND m.status IN ('DISPATCHING', 'UNCERTAIN')",
    );
  });
  return { sent: accepted.length, failed: failed.length, retried: retry.length, providerFailing: args.ids.length > 0 && retry.length + failed.length === args.ids.length && !accepted.length && retry.length > 0, lastError };
}

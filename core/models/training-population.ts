// Who is in a training snapshot and what their label is. The population at a cutoff is every
// contact known by then (created before it, or with behaviour before it); the label is whether
// the target happened in [cutoff, cutoff + horizon). Both are one set-based statement.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { targetSignal } from './activity-sources';
import type { ModelTargetRecord } from './model-targets';
import { propertyFiltersSql } from './property-filters';

const DAY_MS = 86_400_000;

export interface Snapshot {
  cutoff: Date;
  contactIds: number[];
  labels: Float32Array;
  positives: number;
}

interface SnapshotArgs {
  target: ModelTargetRecord;
  cutoff: Date;
  lookbackDays: number;
  /** Also count email activity as "not churned" (when message_events exists). */
  engagement: boolean;
}

/** The snapshot's contacts (by id) with their labels. */
export async function loadSnapshot(ctx: WorkspaceContext, args: SnapshotArgs): Promise<Snapshot> {
  const { sql, params } = snapshotSql(ctx, args);
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(`SELECT s.id, s.hit FROM (${sql}) s ORDER BY s.id`, params);
  const labels = new Float32Array(rows.length);
  let positives = 0;
  const contactIds = rows.map((r, i) => {
    labels[i] = Number(r.hit) ? 1 : 0;
    positives += labels[i];
    return Number(r.id);
  });
  return { cutoff: args.cutoff, contactIds, labels, positives };
}

/** Just the size and positives of a snapshot (the pre-flight check before a job is queued). */
export async function countSnapshot(ctx: WorkspaceContext, args: SnapshotArgs): Promise<{ rows: number; positives: number }> {
  const { sql, params } = snapshotSql(ctx, args);
  const [[row]] = await ctx.db.sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n, COALESCE(SUM(s.hit), 0) AS hits FROM (${sql}) s`, params);
  return { rows: Number(row.n), positives: Number(row.hits) };
}

function snapshotSql(ctx: WorkspaceContext, args: SnapshotArgs): { sql: string; params: unknown[] } {
  const { cutoff, target } = args;
  const lookbackStart = new Date(cutoff.getTime() - args.lookbackDays * DAY_MS);
  const labelEnd = new Date(cutoff.getTime() + target.horizonDays * DAY_MS);
  const signal = targetSignal(target);
  let hit: string;
  const hitParams: unknown[] = [];
  if (!signal) {
    // Churn: no activity at all in the window. Email activity counts as activity when tracked.
    const email = args.engagement
      ? ` OR EXISTS (SELECT 1 FROM message_events m WHERE m.workspace_id = ? AND m.contact_id = c.id AND m.type IN ('open', 'click') AND m.machine = 0 AND m.occurred_at >= ? AND m.occurred_at < ?)`
      : '';
    hit = `NOT (EXISTS (SELECT 1 FROM events a WHERE a.contact_id = c.id AND a.occurred_at >= ? AND a.occurred_at < ?)${email})`;
    hitParams.push(cutoff, labelEnd, ...(args.engagement ? [ctx.workspaceId, cutoff, labelEnd] : []));
  } else if (signal.table === 'events') {
    const f = propertyFiltersSql(signal.filters, 'a');
    // The (contact_id, occurred_at) index finds each contact's window directly.
    hit = `EXISTS (SELECT 1 FROM events a WHERE a.contact_id = c.id AND a.occurred_at >= ? AND a.occurred_at < ? AND a.type = ? AND ${f.sql})`;
    hitParams.push(cutoff, labelEnd, signal.type, ...f.params);
  } else {
    hit = `EXISTS (SELECT 1 FROM message_events a WHERE a.workspace_id = ? AND a.contact_id = c.id AND a.type = ? AND a.machine = 0 AND a.occurred_at >= ? AND a.occurred_at < ?)`;
    hitParams.push(ctx.workspaceId, signal.type, cutoff, labelEnd);
  }
  const sql = `SELECT c.id, ${hit} AS hit FROM contacts c
     WHERE c.workspace_id = ? AND (c.created_at < ? OR EXISTS (SELECT 1 FROM events b WHERE b.contact_id = c.id AND b.occurred_at >= ? AND b.occurred_at < ?))`;
  return { sql, params: [...hitParams, ctx.workspaceId, cutoff, lookbackStart, cutoff] };
}

// Features of contacts as of a cutoff, computed set-based in SQL from the raw events (and
// message_events, contacts.attributes). Only rows with occurred_at < cutoff are read: this is
// the single place that guarantees no behaviour from after the cutoff reaches a model, and
// training (cutoff in the past) and scoring (cutoff = now) both go through it.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import type { FeatureMatrix } from '../ports/propensity-model';
import { chunk } from '../db/sql-helpers';
import { featureNames, type FeatureSpec } from './feature-spec';
import { propertyFiltersSql } from './property-filters';

const DAY_MS = 86_400_000;
/** Contacts per statement: large enough to amortise the round trip, small enough for the IN list. */
export const FEATURE_CHUNK = 5000;

export interface ContactFeatures {
  /** Contact ids in row order. */
  contactIds: Int32Array;
  features: FeatureMatrix;
}

/** Features of `contactIds` (those in the workspace) as of `cutoff`, rows in the given order. */
export async function extractFeatures(
  ctx: WorkspaceContext,
  args: { spec: FeatureSpec; cutoff: Date; contactIds: number[]; onProgress?: (done: number, total: number) => void },
): Promise<ContactFeatures> {
  const names = featureNames(args.spec);
  const cols = names.length;
  const values = new Float32Array(args.contactIds.length * cols);
  const ids = new Int32Array(args.contactIds.length);
  let rows = 0;
  for (const part of chunk(args.contactIds, FEATURE_CHUNK)) {
    const behaviour = await behaviourRows(ctx, args.spec, args.cutoff, part);
    const engagement = args.spec.engagement ? await engagementRows(ctx, args.spec, args.cutoff, part) : new Map<number, RowDataPacket>();
    for (const id of part) {
      const b = behaviour.get(id);
      if (!b) continue; // not in this workspace (or deleted meanwhile)
      encodeRow(args.spec, args.cutoff, b, engagement.get(id), values.subarray(rows * cols, (rows + 1) * cols));
      ids[rows++] = id;
    }
    args.onProgress?.(rows, args.contactIds.length);
  }
  return { contactIds: ids.slice(0, rows), features: { rows, cols, values: values.slice(0, rows * cols), featureNames: names } };
}

async function behaviourRows(ctx: WorkspaceContext, spec: FeatureSpec, cutoff: Date, ids: number[]): Promise<Map<number, RowDataPacket>> {
  const ago = (days: number) => new Date(cutoff.getTime() - days * DAY_MS);
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), '?');
  const attrs = spec.attributes.map((a, i) => `, JSON_VALUE(c.attributes, '$."${a.key}"') AS a${i}`).join('');
  // Built at its place in the template below, so parameters are pushed in statement order.
  const targetColumns = () => {
    if (!spec.targetEvent) return '';
    const { type, filters } = spec.targetEvent;
    const cond = () => {
      const f = propertyFiltersSql(filters, 'e');
      const sql = `(e.type = ${p(type)} AND ${f.sql})`;
      params.push(...f.params);
      return sql;
    };
    return `, COALESCE(SUM(${cond()} AND e.occurred_at >= ${p(ago(30))}), 0) AS t30,
      COALESCE(SUM(${cond()} AND e.occurred_at >= ${p(ago(90))}), 0) AS t90,
      COALESCE(SUM(${cond()}), 0) AS t_all,
      MAX(CASE WHEN ${cond()} THEN e.occurred_at END) AS t_last`;
  };
  const select = `SELECT c.id, c.created_at${attrs},
      MIN(e.occurred_at) AS first_at, MAX(e.occurred_at) AS last_at, COUNT(e.id) AS n_all,
      COALESCE(SUM(e.occurred_at >= ${p(ago(7))}), 0) AS n7,
      COALESCE(SUM(e.occurred_at >= ${p(ago(30))}), 0) AS n30,
      COALESCE(SUM(e.occurred_at >= ${p(ago(90))}), 0) AS n90,
      COUNT(DISTINCT CASE WHEN e.occurred_at >= ${p(ago(30))} THEN DATE(e.occurred_at) END) AS d30,
      COUNT(DISTINCT CASE WHEN e.occurred_at >= ${p(ago(90))} THEN DATE(e.occurred_at) END) AS d90,
      COUNT(DISTINCT e.type) AS n_types,
      COALESCE(SUM(e.type = 'purchase' AND e.occurred_at >= ${p(ago(30))}), 0) AS p30,
      COALESCE(SUM(e.type = 'purchase' AND e.occurred_at >= ${p(ago(90))}), 0) AS p90,
      COALESCE(SUM(e.type = 'purchase'), 0) AS p_all,
      MAX(CASE WHEN e.type = 'purchase' THEN e.occurred_at END) AS p_last,
      COALESCE(SUM(CASE WHEN e.type = 'purchase' AND e.occurred_at >= ${p(ago(90))} THEN e.value END), 0) AS rev90,
      COALESCE(SUM(CASE WHEN e.type = 'purchase' THEN e.value END), 0) AS rev_all${targetColumns()}
    FROM contacts c
    LEFT JOIN events e ON e.contact_id = c.id AND e.occurred_at >= ${p(ago(spec.lookbackDays))} AND e.occurred_at < ${p(cutoff)}
    WHERE c.workspace_id = ${p(ctx.workspaceId)} AND c.id IN (${p(ids)})
    GROUP BY c.id`;
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(select, params);
  return new Map(rows.map((r) => [Number(r.id), r]));
}

async function engagementRows(ctx: WorkspaceContext, spec: FeatureSpec, cutoff: Date, ids: number[]): Promise<Map<number, RowDataPacket>> {
  const d30 = new Date(cutoff.getTime() - 30 * DAY_MS);
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>(
    `SELECT contact_id,
        COALESCE(SUM(type = 'open' AND occurred_at >= ?), 0) AS o30, COALESCE(SUM(type = 'open'), 0) AS o_all,
        COALESCE(SUM(type = 'click' AND occurred_at >= ?), 0) AS c30, COALESCE(SUM(type = 'click'), 0) AS c_all,
        MAX(CASE WHEN type = 'open' THEN occurred_at END) AS o_last
       FROM message_events
      WHERE workspace_id = ? AND contact_id IN (?) AND type IN ('open', 'click') AND machine = 0 AND occurred_at >= ? AND occurred_at < ?
      GROUP BY contact_id`,
    [d30, d30, ctx.workspaceId, ids, new Date(cutoff.getTime() - spec.lookbackDays * DAY_MS), cutoff],
  );
  return new Map(rows.map((r) => [Number(r.contact_id), r]));
}

/**
 * One row of the matrix, in featureNames(spec) order. Counts and money are log1p'd and times
 * become log1p(days before the cutoff), capped at the lookback, so heavy tails do not dominate.
 */
function encodeRow(spec: FeatureSpec, cutoff: Date, b: RowDataPacket, e: RowDataPacket | undefined, out: Float32Array): void {
  const t = cutoff.getTime();
  const cap = spec.lookbackDays;
  const lg = (v: unknown) => Math.log1p(Math.max(0, Number(v) || 0));
  const daysSince = (d: Date | null | undefined) => (d ? Math.log1p(Math.min(cap, Math.max(0, (t - d.getTime()) / DAY_MS))) : Math.log1p(cap));
  const created: Date | null = b.created_at && b.created_at.getTime() < t ? b.created_at : null;
  const first: Date | null = [created, b.first_at as Date | null].filter((d): d is Date => !!d).sort((x, y) => x.getTime() - y.getTime())[0] ?? null;
  let i = 0;
  out[i++] = daysSince(b.last_at);
  out[i++] = first ? Math.log1p(Math.max(0, (t - first.getTime()) / DAY_MS)) : 0;
  out[i++] = Number(b.n_all) > 0 ? 1 : 0;
  for (const k of ['n7', 'n30', 'n90', 'n_all', 'd30', 'd90', 'n_types', 'p30', 'p90', 'p_all']) out[i++] = lg(b[k]);
  out[i++] = daysSince(b.p_last);
  out[i++] = lg(b.rev90);
  out[i++] = lg(b.rev_all);
  out[i++] = Number(b.p_all) > 0 ? lg(Number(b.rev_all) / Number(b.p_all)) : 0;
  if (spec.engagement) {
    for (const k of ['o30', 'o_all', 'c30', 'c_all']) out[i++] = lg(e?.[k]);
    out[i++] = daysSince(e?.o_last);
  }
  if (spec.targetEvent) {
    for (const k of ['t30', 't90', 't_all']) out[i++] = lg(b[k]);
    out[i++] = daysSince(b.t_last);
  }
  spec.attributes.forEach((a, ai) => {
    const raw: string | null = b[`a${ai}`] ?? null;
    if (a.type === 'ENUM') {
      for (const v of a.values ?? []) out[i++] = raw === v ? 1 : 0;
    } else if (a.type === 'BOOLEAN') {
      out[i++] = raw === 'true' || raw === '1' ? 1 : 0;
    } else {
      const n = a.type === 'DATE' ? (raw ? (t - Date.parse(raw)) / DAY_MS / 365.25 : NaN) : Number(raw);
      const ok = raw !== null && Number.isFinite(n);
      out[i++] = ok ? n : 0;
      out[i++] = ok ? 0 : 1;
    }
  });
}

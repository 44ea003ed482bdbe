// Features of contacts as of a cutoff, computed set-based in SQL from the raw events (and
// message_events, contacts.attributes). Only rows with occurred_at < cutoff are read: this is
// the single place that guarantees no behaviour from after the cutoff reaches a model, and
// training (cutoff in the past), scoring (cutoff = now) and explanations all go through it.
//
// Two ways in, one computation: `workspaceFeatures` walks the whole workspace in pages of
// contacts (scoring, training), `extractFeatures` takes explicit ids (explanations). Both run
// the statements of feature-sql.ts on a ContactSelection and encode rows with `encodeRow`.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import type { FeatureMatrix } from '../ports/propensity-model';
import { chunk } from '../db/sql-helpers';
import { featureNames, type FeatureSpec } from './feature-spec';
import { contactsStatement, engagementStatement, eventsStatement, rowsByContact, targetEventsStatement, type ContactSelection } from './feature-sql';

const DAY_MS = 86_400_000;
/** Contacts per page of the workspace walk: a few index range scans of ~100k events each. */
export const FEATURE_PAGE = 10_000;
/** Ids per statement for explicit lists (an IN list; MariaDB turns long ones into a join). */
const ID_CHUNK = 5000;

export interface ContactFeatures {
  /** Contact ids in row order. */
  contactIds: Int32Array;
  features: FeatureMatrix;
}

/** Features of `contactIds` (those in the workspace) as of `cutoff`, rows in the given order. */
export async function extractFeatures(
  ctx: WorkspaceContext,
  args: { spec: FeatureSpec; cutoff: Date; contactIds: number[] },
): Promise<ContactFeatures> {
  const cols = featureNames(args.spec).length;
  const values = new Float32Array(args.contactIds.length * cols);
  const ids = new Int32Array(args.contactIds.length);
  let rows = 0;
  for (const part of chunk(args.contactIds, ID_CHUNK)) {
    const page = await featuresOf(ctx, args.spec, args.cutoff, { ids: part });
    const rowOf = new Map(Array.from(page.contactIds, (id, r) => [id, r]));
    for (const id of part) {
      const r = rowOf.get(id);
      if (r === undefined) continue; // not in this workspace (or deleted meanwhile)
      values.set(page.features.values.subarray(r * cols, (r + 1) * cols), rows * cols);
      ids[rows++] = id;
    }
  }
  return matrix(args.spec, ids.slice(0, rows), values.slice(0, rows * cols));
}

/**
 * Every contact of the workspace in id order, one page of `pageSize` contacts at a time.
 * The next page is read while the caller works on the current one, so the database and the
 * caller (prediction, writing scores) run side by side.
 */
export async function* workspaceFeatures(
  ctx: WorkspaceContext,
  args: { spec: FeatureSpec; cutoff: Date; pageSize?: number; signal?: AbortSignal },
): AsyncGenerator<ContactFeatures> {
  const size = args.pageSize ?? FEATURE_PAGE;
  const read = (after: number) => {
    const page = readPage(ctx, args.spec, args.cutoff, after, size);
    page.catch(() => {}); // awaited below; this only keeps an abandoned read from being reported unhandled
    return page;
  };
  let next = read(0);
  for (;;) {
    args.signal?.throwIfAborted();
    const page = await next;
    if (!page) return;
    next = read(page.contactIds[page.contactIds.length - 1]);
    yield page;
  }
}

/** The page of contacts after id `after` (null when there are none). */
async function readPage(ctx: WorkspaceContext, spec: FeatureSpec, cutoff: Date, after: number, size: number): Promise<ContactFeatures | null> {
  const contacts = await rowsByContact(ctx, contactsStatement(ctx, spec, { after, limit: size }), 'id');
  if (!contacts.size) return null;
  const ids = [...contacts.keys()];
  return featuresOf(ctx, spec, cutoff, { from: ids[0], to: ids[ids.length - 1] }, contacts);
}

/** Features of the selected contacts, in id order. The statements run side by side. */
async function featuresOf(ctx: WorkspaceContext, spec: FeatureSpec, cutoff: Date, sel: ContactSelection, known?: Map<number, RowDataPacket>): Promise<ContactFeatures> {
  const [contacts, events, engagement, target] = await Promise.all([
    known ?? rowsByContact(ctx, contactsStatement(ctx, spec, sel), 'id'),
    rowsByContact(ctx, eventsStatement(ctx, spec, cutoff, sel)),
    spec.engagement ? rowsByContact(ctx, engagementStatement(ctx, spec, cutoff, sel)) : new Map<number, RowDataPacket>(),
    rowsByContact(ctx, targetEventsStatement(ctx, spec, cutoff, sel)),
  ]);
  const cols = featureNames(spec).length;
  const values = new Float32Array(contacts.size * cols);
  const ids = new Int32Array(contacts.size);
  let r = 0;
  for (const [id, contact] of contacts) {
    encodeRow(spec, cutoff, { contact, events: events.get(id), engagement: engagement.get(id), target: target.get(id) }, values.subarray(r * cols, (r + 1) * cols));
    ids[r++] = id;
  }
  return matrix(spec, ids, values);
}

function matrix(spec: FeatureSpec, contactIds: Int32Array, values: Float32Array): ContactFeatures {
  const names = featureNames(spec);
  return { contactIds, features: { rows: contactIds.length, cols: names.length, values, featureNames: names } };
}

interface SourceRows {
  contact: RowDataPacket;
  /** Absent when the contact has no row in that source within the window. */
  events?: RowDataPacket;
  engagement?: RowDataPacket;
  target?: RowDataPacket;
}

/**
 * One row of the matrix, in featureNames(spec) order. Counts and money are log1p'd and times
 * become log1p(days before the cutoff), capped at the lookback, so heavy tails do not dominate.
 */
function encodeRow(spec: FeatureSpec, cutoff: Date, src: SourceRows, out: Float32Array): void {
  const t = cutoff.getTime();
  const cap = spec.lookbackDays;
  const daysSince = (d: Date | null | undefined) => logDaysBefore(t, d, cap);
  const c = src.contact;
  const b: Partial<RowDataPacket> = src.events ?? {};
  const created: Date | null = c.created_at && c.created_at.getTime() < t ? c.created_at : null;
  const firstAt = (b.first_at as Date | undefined) ?? null;
  const first = created && firstAt ? (created < firstAt ? created : firstAt) : (created ?? firstAt);
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
    const e = src.engagement;
    for (const k of ['o30', 'o_all', 'c30', 'c_all']) out[i++] = lg(e?.[k]);
    out[i++] = daysSince(e?.o_last);
  }
  if (spec.targetEvent) {
    const g = src.target;
    for (const k of ['t30', 't90', 't_all']) out[i++] = lg(g?.[k]);
    out[i++] = daysSince(g?.t_last);
  }
  spec.attributes.forEach((a, ai) => {
    const raw: string | null = c[`a${ai}`] ?? null;
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

/** log1p of a count or an amount (missing and negative count as 0). */
function lg(v: unknown): number {
  return Math.log1p(Math.max(0, Number(v) || 0));
}

/** log1p(days from `d` to `t`), capped at `cap` days; a missing time counts as the cap. */
function logDaysBefore(t: number, d: Date | null | undefined, cap: number): number {
  return d ? Math.log1p(Math.min(cap, Math.max(0, (t - d.getTime()) / DAY_MS))) : Math.log1p(cap);
}

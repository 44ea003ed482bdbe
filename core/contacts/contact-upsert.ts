// Bulk create-or-update of contacts keyed by email or external id, on mysql2: one locking
// read and at most two multi-row writes per 1,000 rows, whatever the batch size.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { ValidationError, type Issue, type IssuePath } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { loadAttributeDefs } from '../attributes/attribute-definitions';
import { chunk, isDuplicateKey, retryingLockConflicts, withSqlTransaction } from '../db/sql-helpers';
import { checkContactInput, type ContactFields, type ContactInput } from './contact-input';

export const MAX_UPSERT_BATCH = 10_000;

export type UpsertKey = 'email' | 'externalId';

export interface UpsertContactsArgs {
  contacts: ContactInput[];
  key: UpsertKey;
  /** Recorded on consent changes and in domain events (api, csv, segment, connector:<key>). */
  source: string;
  /** 'reject': one bad row fails the batch and nothing is written. 'skip': bad rows are reported, the rest written. */
  onInvalid: 'reject' | 'skip';
  unknownAttributes?: 'error' | 'drop';
  /** Prefix for issue paths, e.g. ['input', 'contacts']. */
  path?: IssuePath;
}

export interface UpsertContactsResult {
  created: number;
  updated: number;
  unchanged: number;
  rejected: { index: number; issues: Issue[] }[];
  /** The contact id for each input row (undefined where the row was rejected). */
  ids: (number | undefined)[];
  /** Attribute keys that were ignored because they are not defined (only with unknownAttributes: 'drop'). */
  droppedAttributes: string[];
}

interface StoredContact extends RowDataPacket {
  id: number;
  email: string | null;
  email_normalized: string | null;
  external_id: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  timezone: string | null;
  attributes: string | Record<string, unknown> | null;
  consent_status: string;
  consent_source: string | null;
  consent_at: Date | null;
}

const COLUMNS = [
  'email', 'email_normalized', 'external_id', 'first_name', 'last_name', 'locale', 'timezone',
  'attributes', 'consent_status', 'consent_source', 'consent_at',
] as const;
type Row = Record<(typeof COLUMNS)[number], unknown>;

/** Creates or updates contacts in bulk; see UpsertContactsArgs for the error policy. */
export async function upsertContacts(ctx: WorkspaceContext, args: UpsertContactsArgs): Promise<UpsertContactsResult> {
  const prepared = await prepareUpsert(ctx, args);
  // A concurrent writer inserted one of our keys first, or a deadlock: the read was stale, retry.
  const result = await retryingLockConflicts(() => withSqlTransaction(ctx.db.sql, (conn) => writePrepared(ctx, conn, args, prepared)), {
    attempts: 3,
    alsoRetry: isDuplicateKey,
  });
  return announceUpsert(ctx, args.source, result);
}

/**
 * The same, on a connection whose transaction the caller owns (CSV import keeps one
 * transaction for the whole file so a file that turns out malformed writes nothing).
 * The caller must call `announceUpsert` after committing.
 */
export async function upsertContactsOn(ctx: WorkspaceContext, conn: PoolConnection, args: UpsertContactsArgs): Promise<UpsertOutcome> {
  return writePrepared(ctx, conn, args, await prepareUpsert(ctx, args));
}

export type UpsertOutcome = UpsertContactsResult & { createdIds: number[]; updatedIds: number[] };

/** Emits domain events and the audit entry for a committed upsert. */
export async function announceUpsert(ctx: WorkspaceContext, source: string, result: UpsertOutcome): Promise<UpsertContactsResult> {
  const { createdIds, updatedIds, ...out } = result;
  if (createdIds.length) ctx.events.emit('contact.created', { workspaceId: ctx.workspaceId, contactIds: createdIds, source });
  if (updatedIds.length) ctx.events.emit('contact.updated', { workspaceId: ctx.workspaceId, contactIds: updatedIds, source });
  if (createdIds.length || updatedIds.length) {
    await writeAudit(ctx, { action: 'contacts.upserted', targetType: 'Contact', details: { source, created: out.created, updated: out.updated } });
  }
  return out;
}

interface Prepared {
  checked: (ContactFields | undefined)[];
  issuesByIndex: Map<number, Issue[]>;
  dropped: string[];
  now: Date;
}

async function prepareUpsert(ctx: WorkspaceContext, args: UpsertContactsArgs): Promise<Prepared> {
  const path = args.path ?? ['contacts'];
  if (args.contacts.length > MAX_UPSERT_BATCH) {
    throw ValidationError.at(path, `at most ${MAX_UPSERT_BATCH} contacts per call (got ${args.contacts.length}); split the batch`);
  }
  const defs = await loadAttributeDefs(ctx);
  const now = ctx.now();
  const issuesByIndex = new Map<number, Issue[]>();
  const checked: (ContactFields | undefined)[] = [];
  const dropped = new Set<string>();
  args.contacts.forEach((raw, i) => {
    const r = checkContactInput(raw, defs, [...path, i], { requireIdentity: args.key, unknownAttributes: args.unknownAttributes, now });
    r.droppedAttributes.forEach((k) => dropped.add(k));
    if (r.issues.length) issuesByIndex.set(i, r.issues);
    else checked[i] = r.fields;
  });
  if (args.onInvalid === 'reject' && issuesByIndex.size) throw invalid(issuesByIndex);
  return { checked, issuesByIndex, dropped: [...dropped], now };
}

async function writePrepared(ctx: WorkspaceContext, conn: PoolConnection, args: UpsertContactsArgs, p: Prepared): Promise<UpsertOutcome> {
  // Copy: a retried transaction must start from the validation issues only.
  const issues = new Map(p.issuesByIndex);
  const result = await write(ctx, conn, args, p.checked, issues, p.now);
  result.droppedAttributes = p.dropped;
  return result;
}

function invalid(issuesByIndex: Map<number, Issue[]>): ValidationError {
  const issues = [...issuesByIndex.values()].flat();
  return new ValidationError(`${issuesByIndex.size} contact(s) are invalid; nothing was written`, issues);
}

async function write(
  ctx: WorkspaceContext,
  conn: PoolConnection,
  args: UpsertContactsArgs,
  checked: (ContactFields | undefined)[],
  issuesByIndex: Map<number, Issue[]>,
  now: Date,
): Promise<UpsertOutcome> {
  const path = args.path ?? ['contacts'];
  const keyCol = args.key === 'email' ? 'email_normalized' : 'external_id';
  const otherCol = args.key === 'email' ? 'external_id' : 'email_normalized';
  const keyOf = (f: ContactFields) => (args.key === 'email' ? f.emailNormalized : f.externalId) as string;
  const otherOf = (f: ContactFields) => (args.key === 'email' ? f.externalId : f.emailNormalized);
  const otherField = args.key === 'email' ? 'externalId' : 'email';

  // Fold duplicate keys within the batch: later rows win field by field.
  const merged = new Map<string, { fields: ContactFields; indexes: number[] }>();
  checked.forEach((f, i) => {
    if (!f || issuesByIndex.has(i)) return;
    const k = keyOf(f);
    const prev = merged.get(k);
    if (!prev) merged.set(k, { fields: { ...f }, indexes: [i] });
    else {
      prev.fields = { ...prev.fields, ...f, attributes: f.attributes || prev.fields.attributes ? { ...prev.fields.attributes, ...f.attributes } : undefined };
      prev.indexes.push(i);
    }
  });

  // Lock what exists under either identity, so the comparison below cannot go stale.
  const keys = [...merged.keys()];
  const others = [...new Set([...merged.values()].map((m) => otherOf(m.fields)).filter((v): v is string => !!v))];
  const byKey = new Map<string, StoredContact>();
  const byOther = new Map<string, StoredContact>();
  for (const part of chunk(keys, 1000)) {
    const [rows] = await conn.query<StoredContact[]>(`SELECT * FROM contacts WHERE workspace_id = ? AND ${keyCol} IN (?) FOR UPDATE`, [ctx.workspaceId, part]);
    for (const r of rows) byKey.set(String(r[keyCol]), r);
  }
  for (const part of chunk(others, 1000)) {
    const [rows] = await conn.query<StoredContact[]>(`SELECT * FROM contacts WHERE workspace_id = ? AND ${otherCol} IN (?) FOR UPDATE`, [ctx.workspaceId, part]);
    for (const r of rows) byOther.set(String(r[otherCol]), r);
  }

  const inserts: { key: string; row: Row; indexes: number[] }[] = [];
  const updates: { id: number; row: Row; indexes: number[] }[] = [];
  const unchangedIds: { id: number; indexes: number[] }[] = [];
  const claimedOther = new Map<string, string>();
  for (const [key, { fields, indexes }] of merged) {
    const existing = byKey.get(key);
    const other = otherOf(fields);
    if (other) {
      const owner = byOther.get(other);
      const claimedBy = claimedOther.get(other);
      if ((owner && owner.id !== existing?.id) || (claimedBy && claimedBy !== key)) {
        const message = `${otherField} "${other}" already belongs to another contact`;
        for (const i of indexes) issuesByIndex.set(i, [{ path: [...path, i, otherField], message }]);
        continue;
      }
      claimedOther.set(other, key);
    }
    if (!existing) {
      inserts.push({ key, row: toRow(fields, null), indexes });
      continue;
    }
    const row = toRow(fields, existing);
    if (sameAsStored(row, existing)) unchangedIds.push({ id: existing.id, indexes });
    else updates.push({ id: existing.id, row, indexes });
  }

  // Identity conflicts surface only here; in 'reject' mode nothing has been written yet.
  if (args.onInvalid === 'reject' && issuesByIndex.size) throw invalid(issuesByIndex);

  const ids: (number | undefined)[] = new Array(checked.length).fill(undefined);
  const createdIds: number[] = [];
  const updatedIds: number[] = [];
  for (const part of chunk(inserts, 1000)) {
    await conn.query(
      `INSERT INTO contacts (workspace_id, ${COLUMNS.join(', ')}, created_at, updated_at) VALUES ?`,
      [part.map((p) => [ctx.workspaceId, ...COLUMNS.map((c) => p.row[c]), now, now])],
    );
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT id, ${keyCol} AS k FROM contacts WHERE workspace_id = ? AND ${keyCol} IN (?)`, [ctx.workspaceId, part.map((p) => p.key)]);
    const idByKey = new Map(rows.map((r) => [String(r.k), Number(r.id)]));
    for (const p of part) {
      const id = idByKey.get(p.key)!;
      createdIds.push(id);
      for (const i of p.indexes) ids[i] = id;
    }
  }
  for (const part of chunk(updates, 1000)) {
    // Every id exists and is locked, so ON DUPLICATE KEY always takes the update branch.
    await conn.query(
      `INSERT INTO contacts (id, workspace_id, ${COLUMNS.join(', ')}, updated_at) VALUES ?
       ON DUPLICATE KEY UPDATE ${COLUMNS.map((c) => `${c} = VALUES(${c})`).join(', ')}, updated_at = VALUES(updated_at)`,
      [part.map((p) => [p.id, ctx.workspaceId, ...COLUMNS.map((c) => p.row[c]), now])],
    );
    for (const p of part) {
      updatedIds.push(p.id);
      for (const i of p.indexes) ids[i] = p.id;
    }
  }
  for (const u of unchangedIds) for (const i of u.indexes) ids[i] = u.id;

  return {
    created: createdIds.length,
    updated: updatedIds.length,
    unchanged: unchangedIds.length,
    rejected: [...issuesByIndex.entries()].sort(([a], [b]) => a - b).map(([index, issues]) => ({ index, issues })),
    ids,
    droppedAttributes: [],
    createdIds,
    updatedIds,
  };
}

/** The full column values after applying `f` over `stored` (absent fields keep stored values). */
function toRow(f: ContactFields, stored: StoredContact | null): Row {
  const keep = <T>(v: T | undefined, s: T) => (v === undefined ? s : v);
  const storedAttrs = parseJson(stored?.attributes) ?? {};
  let attributes: Record<string, unknown> | null = stored ? storedAttrs : null;
  if (f.attributes) {
    attributes = { ...storedAttrs };
    for (const [k, v] of Object.entries(f.attributes)) {
      if (v === null) delete attributes[k];
      else attributes[k] = v;
    }
  }
  const consentChanges = f.consentStatus !== undefined && f.consentStatus !== (stored?.consent_status ?? 'UNKNOWN');
  return {
    email: keep(f.email, stored?.email ?? null),
    email_normalized: keep(f.emailNormalized, stored?.email_normalized ?? null),
    external_id: keep(f.externalId, stored?.external_id ?? null),
    first_name: keep(f.firstName, stored?.first_name ?? null),
    last_name: keep(f.lastName, stored?.last_name ?? null),
    locale: keep(f.locale, stored?.locale ?? null),
    timezone: keep(f.timezone, stored?.timezone ?? null),
    attributes: attributes === null ? null : JSON.stringify(attributes),
    consent_status: consentChanges ? f.consentStatus : (stored?.consent_status ?? 'UNKNOWN'),
    consent_source: consentChanges ? (f.consentSource ?? null) : (stored?.consent_source ?? null),
    consent_at: consentChanges ? (f.consentAt ?? null) : (stored?.consent_at ?? null),
  };
}

function sameAsStored(row: Row, s: StoredContact): boolean {
  for (const c of COLUMNS) {
    if (c === 'attributes') {
      if (!sameJson(parseJson(row.attributes), parseJson(s.attributes))) return false;
    } else if (c === 'consent_at') {
      if ((row.consent_at as Date | null)?.getTime() !== s.consent_at?.getTime()) return false;
    } else if ((row[c] ?? null) !== (s[c] ?? null)) return false;
  }
  return true;
}

function parseJson(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>);
}

function sameJson(a: Record<string, unknown> | null, b: Record<string, unknown> | null): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => JSON.stringify(a![k]) === JSON.stringify(b?.[k]));
}

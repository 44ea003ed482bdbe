// Event ingestion: validate each item, resolve (or create) its contact, and bulk-insert the
// batch with mysql2 in one transaction. Bad items are reported by index; the rest are kept.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { ValidationError, formatPath, type IssuePath } from '../errors';
import { chunk, retryingLockConflicts, withSqlTransaction } from '../db/sql-helpers';
import { checkEmail } from '../contacts/email';

export const MAX_TRACK_BATCH = 10_000;
const MAX_PROPERTIES_BYTES = 32_768;
const MAX_FUTURE_MS = 24 * 3600_000; // tolerate client clock skew, not time travel
const MAX_VALUE = 1e14; // DECIMAL(18,4)
// contacts.last_seen_at is kept to within this much: rewriting a contact row for every event
// of a session would double the write cost of ingestion (measured: bench/ingest). Profiles
// compute exact recency from the events themselves.
const LAST_SEEN_RESOLUTION_MS = 3600_000;

export interface TrackEventInput {
  type: string;
  /** Identity: a contact id, or an external id and/or email (a missing contact is created). */
  contactId?: number | null;
  externalId?: string | null;
  email?: string | null;
  properties?: Record<string, unknown> | null;
  /** Monetary value (revenue of a purchase). */
  value?: number | null;
  occurredAt?: Date | string | null;
  /** Client-supplied unique id; an event whose key was seen before is skipped as a duplicate. */
  idempotencyKey?: string | null;
}

export interface RejectedItem {
  index: number;
  path: IssuePath;
  reason: string;
}

export interface TrackEventsResult {
  /** Newly stored events. */
  accepted: number;
  /** Valid events skipped because their idempotency key was already stored. */
  duplicates: number;
  rejected: RejectedItem[];
  contactsCreated: number;
}

interface ValidEvent {
  index: number;
  type: string;
  contactId?: number;
  externalId?: string;
  emailNormalized?: string;
  email?: string;
  properties: string | null;
  value: number | null;
  occurredAt: Date;
  idempotencyKey: string | null;
}

/** Stores a batch of events; see TrackEventsResult for what is reported. */
export async function trackEvents(
  ctx: WorkspaceContext,
  args: { events: TrackEventInput[]; source: string; path?: IssuePath },
): Promise<TrackEventsResult> {
  const path = args.path ?? ['events'];
  if (args.events.length > MAX_TRACK_BATCH) {
    throw ValidationError.at(path, `at most ${MAX_TRACK_BATCH} events per call (got ${args.events.length}); split the batch`);
  }
  const now = ctx.now();
  const rejected: RejectedItem[] = [];
  const valid: ValidEvent[] = [];
  args.events.forEach((raw, index) => {
    const r = checkEvent(raw, now, index);
    if ('reason' in r) rejected.push({ index, path: [...path, index, ...r.field], reason: `${formatPath(r.field)}: ${r.reason}` });
    else valid.push(r);
  });
  if (!valid.length) return { accepted: 0, duplicates: 0, rejected, contactsCreated: 0 };

  const out = await retryingLockConflicts(
    () =>
      withSqlTransaction(ctx.db.sql, async (conn) => {
        const { contactOf, created, unknownIds, storedLastSeen } = await resolveContacts(ctx, conn, valid);
        const unresolved: RejectedItem[] = [];
        const rows: unknown[][] = [];
        const lastSeen = new Map<number, Date>();
        for (const e of valid) {
          const contactId = contactOf(e);
          if (contactId === undefined) {
            unresolved.push({ index: e.index, path: [...path, e.index, 'contactId'], reason: unknownIds.has(e.contactId!) ? `contact ${e.contactId} not found` : 'contact could not be resolved' });
            continue;
          }
          rows.push([ctx.workspaceId, contactId, e.type, e.properties, e.value, e.occurredAt, now, args.source, e.idempotencyKey]);
          const seen = lastSeen.get(contactId);
          if (!seen || seen < e.occurredAt) lastSeen.set(contactId, e.occurredAt);
        }
        let accepted = 0;
        for (const part of chunk(rows, 2000)) {
          // IGNORE skips rows whose (workspace, idempotency key) is already stored.
          const [res] = await conn.query(
            'INSERT IGNORE INTO events (workspace_id, contact_id, type, properties, value, occurred_at, received_at, source, idempotency_key) VALUES ?',
            [part],
          );
          accepted += (res as { affectedRows: number }).affectedRows;
        }
        const stale = [...lastSeen].filter(([id, t]) => {
          const stored = storedLastSeen.get(id);
          return !stored || t.getTime() > stored.getTime() + LAST_SEEN_RESOLUTION_MS;
        });
        for (const part of chunk(stale, 1000)) {
          const derived = part.map(() => 'SELECT ? AS id, ? AS t').join(' UNION ALL ');
          await conn.query(
            `UPDATE contacts c JOIN (${derived}) x ON c.id = x.id SET c.last_seen_at = GREATEST(COALESCE(c.last_seen_at, x.t), x.t)`,
            part.flat(),
          );
        }
        return { accepted, duplicates: rows.length - accepted, created, contactIds: [...lastSeen.keys()], unresolved };
      }),
    { attempts: 3 },
  );
  rejected.push(...out.unresolved);
  rejected.sort((a, b) => a.index - b.index);
  if (out.created.length) ctx.events.emit('contact.created', { workspaceId: ctx.workspaceId, contactIds: out.created, source: args.source });
  if (out.accepted) {
    const types = [...new Set(valid.map((e) => e.type))];
    ctx.events.emit('events.tracked', { workspaceId: ctx.workspaceId, contactIds: out.contactIds, types, count: out.accepted, source: args.source });
  }
  return { accepted: out.accepted, duplicates: out.duplicates, rejected, contactsCreated: out.created.length };
}

function checkEvent(raw: TrackEventInput, now: Date, index: number): ValidEvent | { field: IssuePath; reason: string } {
  if (raw === null || typeof raw !== 'object') return { field: [], reason: 'must be an object' };
  const type = typeof raw.type === 'string' ? raw.type.trim() : '';
  if (!type || type.length > 64) return { field: ['type'], reason: 'must be a string of 1–64 characters' };

  // One object with every field set up front keeps a single hidden class on this hot path.
  const out: ValidEvent = {
    index, type, contactId: undefined, externalId: undefined, emailNormalized: undefined, email: undefined,
    properties: null, value: null, occurredAt: now, idempotencyKey: null,
  };
  if (raw.contactId != null) {
    if (!Number.isInteger(raw.contactId) || raw.contactId <= 0) return { field: ['contactId'], reason: 'must be a positive integer' };
    out.contactId = raw.contactId;
  }
  if (raw.externalId != null && raw.externalId !== '') {
    const ext = String(raw.externalId).trim();
    if (!ext || ext.length > 191) return { field: ['externalId'], reason: 'must be 1–191 characters' };
    out.externalId = ext;
  }
  if (raw.email != null && raw.email !== '') {
    const check = checkEmail(raw.email);
    if (!check.ok) return { field: ['email'], reason: check.message };
    out.email = check.email;
    out.emailNormalized = check.normalized;
  }
  if (out.contactId === undefined && !out.externalId && !out.emailNormalized) {
    return { field: [], reason: 'needs a contactId, externalId or email to identify the contact' };
  }
  if (raw.properties != null) {
    if (typeof raw.properties !== 'object' || Array.isArray(raw.properties)) return { field: ['properties'], reason: 'must be a JSON object' };
    const json = JSON.stringify(raw.properties);
    if (json.length > MAX_PROPERTIES_BYTES) return { field: ['properties'], reason: `larger than ${MAX_PROPERTIES_BYTES} bytes` };
    out.properties = json;
  }
  if (raw.value != null) {
    const v = Number(raw.value);
    if (!Number.isFinite(v) || Math.abs(v) >= MAX_VALUE) return { field: ['value'], reason: 'must be a finite number below 1e14' };
    out.value = v;
  }
  if (raw.occurredAt != null) {
    const t = raw.occurredAt instanceof Date ? raw.occurredAt : new Date(raw.occurredAt);
    if (Number.isNaN(t.getTime())) return { field: ['occurredAt'], reason: `not an ISO 8601 date-time: ${JSON.stringify(raw.occurredAt)}` };
    if (t.getTime() > now.getTime() + MAX_FUTURE_MS) return { field: ['occurredAt'], reason: 'is more than a day in the future' };
    if (t.getUTCFullYear() < 1971) return { field: ['occurredAt'], reason: 'is before 1971' };
    out.occurredAt = t;
  }
  if (raw.idempotencyKey != null && raw.idempotencyKey !== '') {
    const key = String(raw.idempotencyKey);
    if (key.length > 191) return { field: ['idempotencyKey'], reason: 'longer than 191 characters' };
    out.idempotencyKey = key;
  }
  return out;
}

/**
 * Maps each event to a contact id: by contactId (checked to be in the workspace), else by
 * external id, else by email. Missing contacts are created from the identity the event carries.
 */
async function resolveContacts(ctx: WorkspaceContext, conn: import('mysql2/promise').PoolConnection, events: ValidEvent[]) {
  const ws = ctx.workspaceId;
  const ids = [...new Set(events.map((e) => e.contactId).filter((v): v is number => v !== undefined))];
  const externals = [...new Set(events.map((e) => e.externalId).filter((v): v is string => !!v))];
  const emails = [...new Set(events.map((e) => e.emailNormalized).filter((v): v is string => !!v))];
  const known = new Set<number>();
  const storedLastSeen = new Map<number, Date | null>();
  const byExternal = new Map<string, number>();
  const byEmail = new Map<string, number>();

  const load = async (col: 'id' | 'external_id' | 'email_normalized', values: (string | number)[], into: (r: RowDataPacket) => void) => {
    for (const part of chunk(values, 2000)) {
      const [rows] = await conn.query<RowDataPacket[]>(`SELECT id, external_id, email_normalized, last_seen_at FROM contacts WHERE workspace_id = ? AND ${col} IN (?)`, [ws, part]);
      rows.forEach(into);
    }
  };
  await load('id', ids, (r) => {
    known.add(Number(r.id));
    storedLastSeen.set(Number(r.id), r.last_seen_at);
  });
  const remember = (r: RowDataPacket) => {
    storedLastSeen.set(Number(r.id), r.last_seen_at);
    if (r.external_id) byExternal.set(String(r.external_id), Number(r.id));
    if (r.email_normalized) byEmail.set(String(r.email_normalized), Number(r.id));
  };
  await load('external_id', externals, remember);
  await load('email_normalized', emails, remember);

  // Contacts to create, one per identity; the first event carrying it supplies the fields.
  const toCreate = new Map<string, ValidEvent>();
  for (const e of events) {
    if (e.contactId !== undefined) continue;
    if (e.externalId ? byExternal.has(e.externalId) : byEmail.has(e.emailNormalized!)) continue;
    const key = e.externalId ? `x:${e.externalId}` : `e:${e.emailNormalized}`;
    if (!toCreate.has(key)) toCreate.set(key, e);
  }
  const created: number[] = [];
  if (toCreate.size) {
    const now = ctx.now();
    const rows = [...toCreate.values()].map((e) => [ws, e.email ?? null, e.emailNormalized ?? null, e.externalId ?? null, now, now]);
    for (const part of chunk(rows, 2000)) {
      // IGNORE: an email already owned by another contact (or a concurrent insert) leaves the row out;
      // the event then falls back to the contact found by email below.
      await conn.query('INSERT IGNORE INTO contacts (workspace_id, email, email_normalized, external_id, created_at, updated_at) VALUES ?', [part]);
    }
    const newExternal = [...toCreate.values()].map((e) => e.externalId).filter((v): v is string => !!v);
    const newEmail = [...toCreate.values()].map((e) => e.emailNormalized).filter((v): v is string => !!v);
    const before = new Set([...byExternal.values(), ...byEmail.values()]);
    await load('external_id', newExternal, remember);
    await load('email_normalized', newEmail, remember);
    for (const id of new Set([...byExternal.values(), ...byEmail.values()])) if (!before.has(id)) created.push(id);
  }

  const contactOf = (e: ValidEvent): number | undefined => {
    if (e.contactId !== undefined) return known.has(e.contactId) ? e.contactId : undefined;
    return (e.externalId ? byExternal.get(e.externalId) : undefined) ?? (e.emailNormalized ? byEmail.get(e.emailNormalized) : undefined);
  };
  const unknownIds = new Set(ids.filter((id) => !known.has(id)));
  return { contactOf, created, unknownIds, storedLastSeen };
}

// HMAC keys for tracking and unsubscribe tokens. Keys live in the database sealed with
// PERSONAE_SECRET_KEY, so every API and worker process signs and verifies alike; each
// token names its key, so a newer key can be added without breaking links already sent.
import { randomBytes } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';

export interface TrackingKey {
  id: number;
  secret: Buffer;
}

interface KeyCache {
  current: Promise<TrackingKey> | null;
  byId: Map<number, TrackingKey>;
}

const caches = new WeakMap<object, KeyCache>();

function cacheFor(core: CoreContext): KeyCache {
  let c = caches.get(core.db);
  if (!c) caches.set(core.db, (c = { current: null, byId: new Map() }));
  return c;
}

/** The key new tokens are signed with (the newest; created on first use). */
export function currentTrackingKey(core: CoreContext): Promise<TrackingKey> {
  const cache = cacheFor(core);
  cache.current ??= loadOrCreate(core).catch((err) => {
    cache.current = null;
    throw err;
  });
  return cache.current;
}

/** A key by id, for verification; null when no such key exists (a forged token). */
export async function trackingKeyById(core: CoreContext, id: number): Promise<TrackingKey | null> {
  const cache = cacheFor(core);
  const hit = cache.byId.get(id);
  if (hit) return hit;
  const [[row]] = await core.db.sql.query<RowDataPacket[]>('SELECT id, secret FROM tracking_keys WHERE id = ?', [id]);
  if (!row) return null;
  const key = { id: row.id, secret: Buffer.from(core.secrets.open<string>(row.secret), 'base64') };
  cache.byId.set(id, key);
  return key;
}

async function loadOrCreate(core: CoreContext): Promise<TrackingKey> {
  const [[row]] = await core.db.sql.query<RowDataPacket[]>('SELECT id FROM tracking_keys ORDER BY id DESC LIMIT 1');
  if (row) return (await trackingKeyById(core, row.id))!;
  // Two processes may both create one on an empty database; both keys stay valid.
  const [res] = await core.db.sql.query('INSERT INTO tracking_keys (secret, created_at) VALUES (?, ?)', [core.secrets.seal(randomBytes(32).toString('base64')), core.now()]);
  return (await trackingKeyById(core, (res as { insertId: number }).insertId))!;
}

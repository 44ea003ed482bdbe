// Synthetic data for bench/personas: contacts with demographic attributes and a year of
// events (page views, product views, carts, purchases with category and value), written with
// mysql2 multi-row INSERTs into one workspace of the personae_bench database. Deterministic
// (seeded), and reused across runs when already present.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../../core/context';
import { forWorkspace, type WorkspaceContext } from '../../core/context';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { mulberry32 } from '../../core/random/seeded-random';

export const CATEGORIES = ['shoes', 'hats', 'coats', 'bags', 'books', 'toys', 'garden', 'kitchen', 'sports', 'beauty', 'music', 'games'];
const REGIONS = ['north', 'south', 'east', 'west'];
const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', null];
const DAY = 86_400_000;
const CHUNK = 5000;

/** The bench workspace with `contacts` contacts and `events` events as of `now` (created when missing or different). */
export async function benchWorkspace(core: CoreContext, args: { contacts: number; events: number; now: Date; log: (s: string) => void }): Promise<WorkspaceContext> {
  const slug = `bench-personas-${args.contacts}-${args.events}`;
  const [[existing]] = await core.db.sql.query<RowDataPacket[]>('SELECT id FROM workspaces WHERE slug = ?', [slug]);
  if (existing) {
    const [[c]] = await core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM contacts WHERE workspace_id = ?', [existing.id]);
    const [[e]] = await core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM events WHERE workspace_id = ?', [existing.id]);
    if (Number(c.n) === args.contacts && Number(e.n) === args.events) {
      args.log(`reusing workspace ${existing.id} (${slug})`);
      return forWorkspace(core, existing.id);
    }
    args.log(`workspace ${existing.id} is incomplete; deleting it`);
    await core.db.sql.query('DELETE FROM workspaces WHERE id = ?', [existing.id]);
  }
  const ws = await createWorkspace(core, { name: 'bench personas', slug });
  const ctx = forWorkspace(core, ws.id);
  await defineAttribute(ctx, { key: 'region', type: 'ENUM', enumValues: REGIONS });
  await defineAttribute(ctx, { key: 'age', type: 'NUMBER' });
  await defineAttribute(ctx, { key: 'cohort', type: 'ENUM', enumValues: ['a', 'b'] });
  const rand = mulberry32(42);
  const now = args.now.getTime();

  let t = Date.now();
  for (let start = 0; start < args.contacts; start += CHUNK) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(args.contacts, start + CHUNK); i++) {
      const consent = rand() < 0.6 ? 'SUBSCRIBED' : rand() < 0.5 ? 'UNKNOWN' : 'UNSUBSCRIBED';
      const attributes = JSON.stringify({ region: REGIONS[Math.floor(rand() * 4)], age: 18 + Math.floor(rand() * 62), cohort: i % 2 ? 'b' : 'a' });
      const created = new Date(now - Math.floor(rand() * 730) * DAY);
      rows.push([ws.id, `c${i}@bench.example`, `c${i}@bench.example`, `ext-${i}`, attributes, consent, ZONES[i % 4], created, created]);
    }
    await core.db.sql.query('INSERT INTO contacts (workspace_id, email, email_normalized, external_id, attributes, consent_status, timezone, created_at, updated_at) VALUES ?', [rows]);
  }
  args.log(`${args.contacts} contacts in ${Date.now() - t} ms`);

  const [idRows] = await core.db.sql.query<RowDataPacket[]>('SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id', [ws.id]);
  const ids = idRows.map((r) => Number(r.id));
  t = Date.now();
  for (let start = 0; start < args.events; start += CHUNK) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(args.events, start + CHUNK); i++) {
      // Activity is skewed: a minority of contacts produce most events, recent days are busier.
      const contactId = ids[Math.floor(ids.length * rand() ** 2)];
      const at = new Date(now - Math.floor(365 * DAY * rand() ** 1.5) - Math.floor(rand() * DAY));
      const r = rand();
      const type = r < 0.5 ? 'page_view' : r < 0.75 ? 'product_viewed' : r < 0.85 ? 'add_to_cart' : 'purchase';
      const category = CATEGORIES[Math.floor(CATEGORIES.length * rand() ** 1.3)];
      const properties = type === 'page_view' ? null : JSON.stringify({ category, sku: `SKU-${Math.floor(rand() * 2000)}` });
      const value = type === 'purchase' ? Math.round((5 + rand() * 300) * 100) / 100 : null;
      rows.push([ws.id, contactId, type, properties, value, at, at, 'bench']);
    }
    await core.db.sql.query('INSERT INTO events (workspace_id, contact_id, type, properties, value, occurred_at, received_at, source) VALUES ?', [rows]);
    if ((start / CHUNK) % 40 === 0) args.log(`  events ${start + rows.length}/${args.events}`);
  }
  args.log(`${args.events} events in ${Date.now() - t} ms`);
  await core.db.sql.query('ANALYZE TABLE contacts, events');
  return ctx;
}

// Synthetic data for bench/models/scoring-db.bench.ts: one workspace of the personae_bench
// database with N contacts, a year of shop events and a year of monthly newsletters (opens and
// clicks in message_events). Deterministic (seeded) and reused by later runs when complete.
//
// Shaped like production data, because the cost of reading it depends on its layout:
// - events are inserted in time order with contacts interleaved, as ingestion writes them, so a
//   contact's events are scattered over the table (inserting them contact by contact would
//   put each contact's events on one page and flatter any per-contact lookup);
// - activity is skewed (a minority of contacts produce most events) and recent days are busier;
// - non-page-view events carry JSON properties and purchases a value, so rows have a real width.
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../../core/context';
import { forWorkspace, type WorkspaceContext } from '../../core/context';
import { defineAttribute } from '../../core/attributes/attribute-definitions';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { mulberry32 } from '../../core/random/seeded-random';

const DAY = 86_400_000;
const CHUNK = 5000;
const CATEGORIES = ['shoes', 'hats', 'coats', 'bags', 'books', 'toys', 'garden', 'kitchen', 'sports', 'beauty'];
const TYPES = ['page_view', 'product_viewed', 'add_to_cart', 'purchase'] as const;
const CAMPAIGNS = 12;

export interface ScoringBenchData {
  ctx: WorkspaceContext;
  contacts: number;
  events: number;
  messageEvents: number;
}

/** The bench workspace (created when missing or incomplete). `now` anchors the year of history. */
export async function scoringBenchData(core: CoreContext, args: { contacts: number; events: number; log: (s: string) => void }): Promise<ScoringBenchData> {
  const slug = `bench-models-${args.contacts}-${args.events}`;
  const [[existing]] = await core.db.sql.query<RowDataPacket[]>('SELECT id FROM workspaces WHERE slug = ?', [slug]);
  if (existing) {
    const count = async (table: string) => {
      const [[r]] = await core.db.sql.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table} WHERE workspace_id = ?`, [existing.id]);
      return Number(r.n);
    };
    const [contacts, events, messageEvents] = [await count('contacts'), await count('events'), await count('message_events')];
    if (contacts === args.contacts && events === args.events && messageEvents > 0) {
      args.log(`reusing workspace ${existing.id} (${slug})`);
      return { ctx: forWorkspace(core, existing.id), contacts, events, messageEvents };
    }
    args.log(`workspace ${existing.id} is incomplete; deleting it`);
    await core.db.sql.query('DELETE FROM workspaces WHERE id = ?', [existing.id]);
  }
  const ws = await createWorkspace(core, { name: 'bench models', slug });
  const ctx = forWorkspace(core, ws.id);
  await defineAttribute(ctx, { key: 'region', type: 'ENUM', enumValues: ['north', 'south', 'east', 'west'] });
  await defineAttribute(ctx, { key: 'age', type: 'NUMBER' });
  const rand = mulberry32(42);
  // Whole days, so reruns on another day still see a year of history ending yesterday.
  const now = Math.floor(Date.now() / DAY) * DAY;

  let t = Date.now();
  for (let start = 0; start < args.contacts; start += CHUNK) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(args.contacts, start + CHUNK); i++) {
      const attributes = JSON.stringify({ region: ['north', 'south', 'east', 'west'][Math.floor(rand() * 4)], age: 18 + Math.floor(rand() * 62) });
      const created = new Date(now - Math.floor(rand() * 730) * DAY);
      rows.push([ws.id, `c${i}@bench.example`, `c${i}@bench.example`, `ext-${i}`, attributes, rand() < 0.6 ? 'SUBSCRIBED' : 'UNKNOWN', created, created]);
    }
    await core.db.sql.query('INSERT INTO contacts (workspace_id, email, email_normalized, external_id, attributes, consent_status, created_at, updated_at) VALUES ?', [rows]);
  }
  const [idRows] = await core.db.sql.query<RowDataPacket[]>('SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id', [ws.id]);
  const ids = idRows.map((r) => Number(r.id));
  args.log(`${args.contacts} contacts in ${Date.now() - t} ms`);

  // Each contact's share of the activity, shuffled so it does not follow the id order.
  const weight = Float64Array.from(ids, () => rand() ** 3);
  const cumulative = new Float64Array(ids.length);
  weight.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[ids.length - 1];
  const pick = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  t = Date.now();
  // Times first, sorted, so rows go in in time order like ingestion writes them.
  const times = Float64Array.from({ length: args.events }, () => now - Math.floor(365 * DAY * rand() ** 1.5) - Math.floor(rand() * DAY)).sort();
  for (let start = 0; start < args.events; start += CHUNK) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(args.events, start + CHUNK); i++) {
      const contact = pick();
      const r = rand();
      // Heavier users buy a little more often, so purchases are predictable from behaviour.
      const buy = r < 0.1 + 0.1 * Math.min(1, weight[contact] * 3);
      const type = buy ? 'purchase' : TYPES[r < 0.6 ? 0 : r < 0.85 ? 1 : 2];
      const properties = type === 'page_view' ? null : JSON.stringify({ category: CATEGORIES[Math.floor(CATEGORIES.length * rand() ** 1.3)], sku: `SKU-${Math.floor(rand() * 2000)}` });
      const value = type === 'purchase' ? Math.round((5 + rand() * 300) * 100) / 100 : null;
      const at = new Date(times[i]);
      rows.push([ws.id, ids[contact], type, properties, value, at, at, 'bench']);
    }
    await core.db.sql.query('INSERT INTO events (workspace_id, contact_id, type, properties, value, occurred_at, received_at, source) VALUES ?', [rows]);
    if ((start / CHUNK) % 50 === 0) args.log(`  events ${start + rows.length}/${args.events}`);
  }
  args.log(`${args.events} events in ${Date.now() - t} ms`);

  t = Date.now();
  const messageEvents = await seedNewsletters(core, { workspaceId: ws.id, ids, weight, now, rand });
  args.log(`${CAMPAIGNS} newsletters, ${messageEvents} opens and clicks in ${Date.now() - t} ms`);
  await core.db.sql.query('ANALYZE TABLE contacts, events, messages, message_events');
  return { ctx, contacts: args.contacts, events: args.events, messageEvents };
}

/**
 * A monthly newsletter to everyone: only the messages that were opened are stored (nothing
 * here reads the others), with their opens (30% of them machine prefetches) and clicks.
 */
async function seedNewsletters(core: CoreContext, args: { workspaceId: number; ids: number[]; weight: Float64Array; now: number; rand: () => number }): Promise<number> {
  const { rand } = args;
  let count = 0;
  for (let c = 0; c < CAMPAIGNS; c++) {
    const sentAt = args.now - (CAMPAIGNS - c) * 30 * DAY + 10 * 3_600_000;
    const [campaign] = await core.db.sql.query('INSERT INTO campaigns (workspace_id, name, from_email, status) VALUES (?, ?, ?, ?)', [args.workspaceId, `newsletter ${c + 1}`, 'shop@bench.example', 'SENT']);
    const campaignId = (campaign as { insertId: number }).insertId;
    const openers: number[] = [];
    args.ids.forEach((_, i) => {
      if (rand() < 0.12 + 0.5 * Math.min(1, args.weight[i] * 2)) openers.push(i);
    });
    for (let start = 0; start < openers.length; start += CHUNK) {
      const part = openers.slice(start, start + CHUNK);
      const [inserted] = await core.db.sql.query('INSERT INTO messages (workspace_id, campaign_id, contact_id, email, status, send_at, sent_at) VALUES ?', [
        part.map((i) => [args.workspaceId, campaignId, args.ids[i], `c${i}@bench.example`, 'SENT', new Date(sentAt), new Date(sentAt)]),
      ]);
      const firstId = BigInt((inserted as { insertId: number }).insertId);
      const rows: unknown[][] = [];
      part.forEach((i, k) => {
        const machine = rand() < 0.3;
        const openAt = new Date(sentAt + Math.floor((machine ? 0.02 : 3 * rand() ** 2) * DAY));
        rows.push([args.workspaceId, firstId + BigInt(k), campaignId, args.ids[i], 'open', openAt, 'pixel', machine ? 1 : 0]);
        if (!machine && rand() < 0.15) rows.push([args.workspaceId, firstId + BigInt(k), campaignId, args.ids[i], 'click', new Date(openAt.getTime() + 60_000), 'redirect', 0]);
      });
      await core.db.sql.query('INSERT INTO message_events (workspace_id, message_id, campaign_id, contact_id, type, occurred_at, source, machine) VALUES ?', [rows]);
      count += rows.length;
    }
  }
  return count;
}

// Writing counter changes into campaign_rollups and campaign_link_rollups, inside the caller's
// transaction. Each message's change is counted under persona 0 (everyone) and under every
// persona the message is attributed to (message_personas). Rows are written in primary-key
// order so concurrent transactions lock shared rollup rows in the same order.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { chunk } from '../db/sql-helpers';
import type { TransactionWrites } from '../db/last-write-commit';
import { COUNTERS, type CounterKey } from './metric-definitions';
import type { Delta, LinkClick } from './rollup-deltas';

type Row = { workspaceId: number; campaignId: number; variantId: number; personaId: number; bucketAt: number; counts: Partial<Record<CounterKey, number>> };

/** The personas each message counts under (besides persona 0). */
async function personasOf(conn: PoolConnection, messageIds: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const part of chunk(messageIds, 2000)) {
    if (!part.length) continue;
    const [rows] = await conn.query<RowDataPacket[]>('SELECT message_id, persona_id FROM message_personas WHERE message_id IN (?)', [part]);
    for (const r of rows) {
      const id = String(r.message_id);
      out.set(id, [...(out.get(id) ?? []), Number(r.persona_id)]);
    }
  }
  return out;
}

/** Applies per-message deltas: expands personas, nets them per rollup row, upserts (through `writes`). */
export async function applyDeltas(conn: PoolConnection, writes: TransactionWrites, deltas: Delta[]): Promise<number[]> {
  const live = deltas.filter((d) => Object.values(d.counts).some((v) => v));
  if (!live.length) return [];
  const personas = await personasOf(conn, [...new Set(live.map((d) => d.messageId))]);
  const rows = new Map<string, Row>();
  for (const d of live) {
    for (const personaId of [0, ...(personas.get(d.messageId) ?? [])]) {
      const key = [d.campaignId, d.variantId, personaId, d.bucketAt].join('|');
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { workspaceId: d.workspaceId, campaignId: d.campaignId, variantId: d.variantId, personaId, bucketAt: d.bucketAt, counts: {} }));
      for (const [k, v] of Object.entries(d.counts) as [CounterKey, number][]) row.counts[k] = (row.counts[k] ?? 0) + v;
    }
  }
  const ordered = [...rows.values()]
    .filter((r) => Object.values(r.counts).some((v) => v))
    .sort((a, b) => a.campaignId - b.campaignId || a.variantId - b.variantId || a.personaId - b.personaId || a.bucketAt - b.bucketAt);
  await upsertRows(writes, ordered);
  return [...new Set(ordered.map((r) => r.campaignId))];
}

const INSERT_COLUMNS = ['campaign_id', 'variant_id', 'persona_id', 'bucket_at', 'workspace_id', ...COUNTERS.map(([, c]) => c)];
const ON_DUPLICATE = [...COUNTERS.map(([, c]) => `${c} = ${c} + VALUES(${c})`), 'updated_at = VALUES(updated_at)'].join(', ');

async function upsertRows(writes: TransactionWrites, rows: Row[]): Promise<void> {
  const placeholder = `(${INSERT_COLUMNS.map(() => '?').join(', ')}, NOW(3))`;
  for (const part of chunk(rows, 500)) {
    if (!part.length) continue;
    const params = part.flatMap((r) => [
      r.campaignId, r.variantId, r.personaId, new Date(r.bucketAt), r.workspaceId,
      // Revenue arrives in ten-thousandths so that sums stay exact.
      ...COUNTERS.map(([k]) => (k === 'revenue' ? ((r.counts.revenue ?? 0) / 10_000).toFixed(4) : (r.counts[k] ?? 0))),
    ]);
    await writes.write(
      `INSERT INTO campaign_rollups (${INSERT_COLUMNS.join(', ')}, updated_at) VALUES ${part.map(() => placeholder).join(', ')} ON DUPLICATE KEY UPDATE ${ON_DUPLICATE}`,
      params,
    );
  }
}

/** Counts human clicks per link; a recipient's first click on a link is a unique click. */
export async function applyLinkClicks(conn: PoolConnection, writes: TransactionWrites, clicks: LinkClick[]): Promise<void> {
  if (!clicks.length) return;
  await writes.flush();
  const known = new Set<string>();
  for (const part of chunk([...new Set(clicks.map((c) => c.messageId))], 2000)) {
    // The messages are locked by this transaction already; locking our own rows too keeps the
    // read current even if the transaction's snapshot is older.
    const [rows] = await conn.query<RowDataPacket[]>('SELECT message_id, url_hash FROM campaign_link_clickers WHERE message_id IN (?) FOR UPDATE', [part]);
    rows.forEach((r) => known.add(`${r.message_id}|${r.url_hash}`));
  }
  const links = new Map<string, { workspaceId: number; campaignId: number; urlHash: string; url: string; clicks: number; unique: number }>();
  const fresh: (string | number)[][] = [];
  for (const c of clicks) {
    const key = `${c.campaignId}|${c.urlHash}`;
    let link = links.get(key);
    if (!link) links.set(key, (link = { workspaceId: c.workspaceId, campaignId: c.campaignId, urlHash: c.urlHash, url: c.url, clicks: 0, unique: 0 }));
    link.clicks++;
    const who = `${c.messageId}|${c.urlHash}`;
    if (!known.has(who)) {
      known.add(who);
      link.unique++;
      fresh.push([c.messageId, c.urlHash, c.workspaceId, c.campaignId]);
    }
  }
  for (const part of chunk(fresh, 1000)) {
    if (part.length) await writes.write('INSERT IGNORE INTO campaign_link_clickers (message_id, url_hash, workspace_id, campaign_id) VALUES ?', [part]);
  }
  const ordered = [...links.values()].sort((a, b) => a.campaignId - b.campaignId || a.urlHash.localeCompare(b.urlHash));
  await writes.write(
    `INSERT INTO campaign_link_rollups (campaign_id, url_hash, workspace_id, url, clicks, unique_clicks, updated_at)
     VALUES ${ordered.map(() => '(?, ?, ?, ?, ?, ?, NOW(3))').join(', ')}
     ON DUPLICATE KEY UPDATE clicks = clicks + VALUES(clicks), unique_clicks = unique_clicks + VALUES(unique_clicks), updated_at = VALUES(updated_at)`,
    ordered.flatMap((l) => [l.campaignId, l.urlHash, l.workspaceId, l.url, l.clicks, l.unique]),
  );
}

/**
 * Set-based upsert for changes computed in SQL over many messages (launch snapshots, A/B
 * releases): `select` yields per message `m.<…>` with the given expressions; it runs once for
 * persona 0 and once joined with the message's personas.
 */
export async function upsertFromMessages(
  conn: PoolConnection,
  args: { from: string; where: string; params: unknown[]; variantExpr: string; bucketExpr: string; counts: Partial<Record<CounterKey, string>> },
): Promise<void> {
  const entries = Object.entries(args.counts) as [CounterKey, string][];
  const columns = entries.map(([k]) => COUNTERS.find(([key]) => key === k)![1]);
  const update = [...columns.map((c) => `${c} = ${c} + VALUES(${c})`), 'updated_at = VALUES(updated_at)'].join(', ');
  for (const persona of ['0', 'mp.persona_id']) {
    const join = persona === '0' ? '' : 'JOIN message_personas mp ON mp.message_id = m.id';
    // A bare number in GROUP BY / ORDER BY means a column position: leave constants out.
    const keys = ['m.campaign_id', args.variantExpr, persona, args.bucketExpr].filter((k) => !/^-?\d+$/.test(k)).join(', ');
    await conn.query(
      `INSERT INTO campaign_rollups (campaign_id, variant_id, persona_id, bucket_at, workspace_id, ${columns.join(', ')}, updated_at)
       SELECT m.campaign_id, ${args.variantExpr}, ${persona}, ${args.bucketExpr}, m.workspace_id, ${entries.map(([, e]) => e).join(', ')}, NOW(3)
         FROM ${args.from} ${join}
        WHERE ${args.where}
        GROUP BY ${keys}, m.workspace_id
        ORDER BY ${keys}
       ON DUPLICATE KEY UPDATE ${update}`,
      args.params,
    );
  }
}

/** SQL for the start of the UTC hour of a DATETIME column (the session runs in UTC). */
export function hourSql(column: string): string {
  return `DATE_FORMAT(${column}, '%Y-%m-%d %H:00:00')`;
}

// The links each campaign's messages contained. The click token names a link by the hash of
// its final URL (after UTM and personalisation); the redirect looks the hash up within the
// message's campaign, so it can only lead to a URL that was actually sent.
import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { chunk } from '../db/sql-helpers';
import { URL_HASH_BYTES } from './tracking-tokens';

export function urlHash(url: string): string {
  return createHash('sha256').update(url).digest().subarray(0, URL_HASH_BYTES).toString('hex');
}

/** Collects a batch's links while it renders, then stores the new ones in one statement. */
export class LinkCollector {
  private readonly pending = new Map<string, { workspaceId: number; campaignId: number; hash: string; url: string }>();

  /** Links stored already by this process (bounded), to skip re-inserting static links every batch. */
  private static readonly known = new Set<string>();

  add(workspaceId: number, campaignId: number, url: string): string {
    const hash = urlHash(url);
    const key = `${campaignId}:${hash}`;
    if (!LinkCollector.known.has(key)) this.pending.set(key, { workspaceId, campaignId, hash, url });
    return hash;
  }

  /** Stores the collected links (before the messages containing them leave). */
  async flush(core: CoreContext): Promise<void> {
    if (!this.pending.size) return;
    const rows = [...this.pending.values()].map((l) => [l.workspaceId, l.campaignId, l.hash, l.url, core.now()]);
    for (const part of chunk(rows, 500)) {
      await core.db.sql.query('INSERT IGNORE INTO tracked_links (workspace_id, campaign_id, url_hash, url, created_at) VALUES ?', [part]);
    }
    if (LinkCollector.known.size > 50_000) LinkCollector.known.clear();
    for (const key of this.pending.keys()) LinkCollector.known.add(key);
    this.pending.clear();
  }
}

/** The URL a campaign's message contained under this hash, or null. */
export async function resolveTrackedLink(core: CoreContext, campaignId: number, hash: string): Promise<string | null> {
  const [[row]] = await core.db.sql.query<RowDataPacket[]>('SELECT url FROM tracked_links WHERE campaign_id = ? AND url_hash = ?', [campaignId, hash]);
  return row?.url ?? null;
}

// Data for analytics tests, written straight to the real database: contacts, personas with
// members, and a launched campaign whose messages are created the way the launch snapshot
// creates them (one INSERT … SELECT, counted by rollupMessagesCreated in the same transaction).
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../../../core/context';
import { retryingLockConflicts, withSqlTransaction } from '../../../core/db/sql-helpers';
import { rollupMessagesCreated } from '../../../core/analytics/rollup-writer';

export async function seedContacts(ctx: WorkspaceContext, n: number, prefix = 'c'): Promise<number[]> {
  const tag = `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const rows = Array.from({ length: n }, (_, i) => [ctx.workspaceId, `${tag}-${i}@example.com`, `${tag}-${i}@example.com`, 'SUBSCRIBED']);
  await ctx.db.sql.query('INSERT INTO contacts (workspace_id, email, email_normalized, consent_status) VALUES ?', [rows]);
  const [ids] = await ctx.db.sql.query<RowDataPacket[]>('SELECT id FROM contacts WHERE workspace_id = ? AND email LIKE ? ORDER BY id', [ctx.workspaceId, `${tag}-%`]);
  return ids.map((r) => r.id);
}

export async function seedPersona(ctx: WorkspaceContext, slug: string, contactIds: number[]): Promise<number> {
  const [res] = await ctx.db.sql.query(
    "INSERT INTO personas (workspace_id, slug, name, kind, definition, member_count) VALUES (?, ?, ?, 'RULE', '{}', ?)",
    [ctx.workspaceId, slug, `Persona ${slug}`, contactIds.length],
  );
  const id = (res as { insertId: number }).insertId;
  if (contactIds.length) {
    await ctx.db.sql.query('INSERT INTO persona_members (persona_id, contact_id, workspace_id, joined_at) VALUES ?', [contactIds.map((c) => [id, c, ctx.workspaceId, new Date()])]);
  }
  return id;
}

export interface SeededCampaign {
  campaignId: number;
  variantIds: number[];
  /** Message ids in contact order. */
  messageIds: string[];
}

/**
 * A SENDING campaign with `variants` variants and one message per contact. Messages are dealt
 * round-robin to the variants; with `held`, the last `held` contacts get no variant (HELD).
 */
export async function seedCampaign(ctx: WorkspaceContext, args: { contactIds: number[]; variants?: number; held?: number; name?: string; createdAt?: Date }): Promise<SeededCampaign> {
  const k = args.variants ?? 1;
  const campaign = await ctx.db.prisma.campaign.create({
    data: {
      workspaceId: ctx.workspaceId,
      name: args.name ?? 'Spring sale',
      status: 'SENDING',
      fromEmail: 'news@shop.example',
      launchedAt: new Date(),
      variants: { create: Array.from({ length: k }, (_, i) => ({ workspaceId: ctx.workspaceId, position: i, name: 'ABCDEFGH'[i] })) },
    },
    include: { variants: { orderBy: { position: 'asc' } } },
  });
  const variantIds = campaign.variants.map((v) => v.id);
  const held = args.held ?? 0;
  const now = args.createdAt ?? new Date();
  // Retried: parallel test files' writers can deadlock on shared index gaps.
  await retryingLockConflicts(() => withSqlTransaction(ctx.db.sql, async (conn) => {
    const rows = args.contactIds.map((contactId, i) => {
      const isHeld = i >= args.contactIds.length - held;
      return [ctx.workspaceId, campaign.id, isHeld ? null : variantIds[i % k], contactId, 0, `m${contactId}@example.com`, isHeld ? 'HELD' : 'QUEUED', now, now, now];
    });
    await conn.query('INSERT INTO messages (workspace_id, campaign_id, variant_id, contact_id, enrollment_id, email, status, send_at, created_at, updated_at) VALUES ?', [rows]);
    await rollupMessagesCreated(conn, { campaignId: campaign.id });
  }));
  const [ids] = await ctx.db.sql.query<RowDataPacket[]>('SELECT id FROM messages WHERE campaign_id = ? ORDER BY contact_id', [campaign.id]);
  return { campaignId: campaign.id, variantIds, messageIds: ids.map((r) => String(r.id)) };
}

/** The campaign's rollup rows with a non-zero counter, comparable across runs (no updated_at). */
export async function rollupSnapshot(ctx: WorkspaceContext, campaignId: number): Promise<{ counters: Record<string, unknown>[]; links: Record<string, unknown>[] }> {
  const [rows] = await ctx.db.sql.query<RowDataPacket[]>('SELECT * FROM campaign_rollups WHERE campaign_id = ? ORDER BY variant_id, persona_id, bucket_at', [campaignId]);
  const counters = rows
    .map(({ updated_at: _u, ...r }) => ({ ...r, bucket_at: (r.bucket_at as Date).toISOString() }))
    .filter((r) => Object.entries(r).some(([k, v]) => !['campaign_id', 'variant_id', 'persona_id', 'bucket_at', 'workspace_id'].includes(k) && Number(v) !== 0));
  const [links] = await ctx.db.sql.query<RowDataPacket[]>('SELECT campaign_id, url_hash, url, clicks, unique_clicks FROM campaign_link_rollups WHERE campaign_id = ? ORDER BY url_hash', [campaignId]);
  return { counters, links: links.map((l) => ({ ...l })) };
}

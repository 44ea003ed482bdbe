// Seeds bench/live in its own database (personae_bench_live, new each run): a workspace and key, subscribed
// contacts in three personas, 20 finished campaigns with engagement (for the dashboard), and
// one launched campaign for the worker to send while subscribers watch.
import type { RowDataPacket } from 'mysql2/promise';
import { resolveDatabase } from '../../scripts/db/local-database';
import { recreateDatabase } from '../bench-database';
import { migrate } from '../../scripts/db/migration-runner';
import { createCoreServices, type CoreServices } from '../../api/core-services';
import { createLogger } from '../../core/logger';
import { forWorkspace, type WorkspaceContext } from '../../core/context';
import { chunk, withSqlTransaction } from '../../core/db/sql-helpers';
import { createWorkspace } from '../../core/workspaces/workspaces';
import { createInitialApiKey } from '../../core/workspaces/api-keys';
import { createTemplate } from '../../core/templates';
import { createCampaign } from '../../core/campaigns/campaigns.service';
import { launchCampaign } from '../../core/campaigns/campaign-launch';
import { rollupMessagesCreated } from '../../core/analytics/rollup-writer';
import { rebuildCampaignRollups } from '../../core/analytics/rollup-rebuild';
import { outbox } from '../../plugins/outbox';
import { sendgrid } from '../../plugins/sendgrid';
import { PluginHost } from '../../plugins/sdk/plugin-host';

export interface BenchWorld {
  core: CoreServices;
  databaseUrl: string;
  ctx: WorkspaceContext;
  key: string;
  contacts: number;
}

export async function openWorld(contacts: number): Promise<BenchWorld> {
  const log = createLogger({ level: 'warn' });
  const db = await resolveDatabase({ databaseName: 'personae_bench_live' });
  // Every run starts from an empty database: left in place, each run's contacts, messages and
  // outbox (~3 MB per 500 sent) made the next run write into bigger tables (the outbox alone
  // reached 2.4 GB). A database named by DATABASE_URL is not ours to drop: it is only added to.
  if (db.source !== 'DATABASE_URL') await recreateDatabase(db.url);
  await migrate(db.url);
  const core = createCoreServices({ databaseUrl: db.url, secretKey: 'test-secret-key-not-for-production', log });
  // The providers the worker may send through (createIntegration checks the kind is known).
  new PluginHost([outbox(), sendgrid({})]).registerExtensions(core.extensions);
  const ws = await createWorkspace(core, { name: `live bench ${new Date().toISOString()}` });
  const { secret } = await createInitialApiKey(core, ws.id, 'bench', 'ADMIN');
  const ctx = forWorkspace(core, ws.id, { type: 'system', name: 'bench' });
  const now = new Date();
  for (const part of chunk(Array.from({ length: contacts }, (_, i) => i), 5000)) {
    const rows = part.map((i) => [ws.id, `live${i}@bench.example`, `live${i}@bench.example`, `Reader${i}`, 'SUBSCRIBED', now, now]);
    await core.db.sql.query('INSERT INTO contacts (workspace_id, email, email_normalized, first_name, consent_status, created_at, updated_at) VALUES ?', [rows]);
  }
  // Three overlapping personas, so the breakdown has something to show.
  for (const [slug, mod] of [['loyal', 2], ['new', 3], ['high-value', 5]] as const) {
    const [res] = await core.db.sql.query("INSERT INTO personas (workspace_id, slug, name, kind, definition) VALUES (?, ?, ?, 'RULE', '{}')", [ws.id, slug, slug]);
    await core.db.sql.query(
      'INSERT INTO persona_members (persona_id, contact_id, workspace_id, joined_at) SELECT ?, id, workspace_id, ? FROM contacts WHERE workspace_id = ? AND id % ? = 0',
      [(res as { insertId: number }).insertId, now, ws.id, mod],
    );
  }
  return { core, databaseUrl: db.url, ctx, key: secret, contacts };
}

/** `n` sent campaigns of `size` recipients with opens, clicks and conversions, rollups built from the raw rows. */
export async function seedDashboard(world: BenchWorld, n: number, size: number): Promise<void> {
  const { ctx } = world;
  const [ids] = await ctx.db.sql.query<RowDataPacket[]>('SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id LIMIT ?', [ctx.workspaceId, size]);
  const contactIds = ids.map((r) => r.id as number);
  for (let c = 0; c < n; c++) {
    const sentAt = new Date(Date.now() - (n - c) * 86_400_000);
    const campaign = await ctx.db.prisma.campaign.create({
      data: {
        workspaceId: ctx.workspaceId, name: `Newsletter ${c + 1}`, status: 'SENT', fromEmail: 'news@bench.example', launchedAt: sentAt, completedAt: sentAt,
        variants: { create: [0, 1].map((position) => ({ workspaceId: ctx.workspaceId, position, name: 'AB'[position] })) },
      },
      include: { variants: { orderBy: { position: 'asc' } } },
    });
    const [a, b] = campaign.variants.map((v) => v.id);
    await withSqlTransaction(ctx.db.sql, async (conn) => {
      const rows = contactIds.map((id, i) => [ctx.workspaceId, campaign.id, i % 2 ? b : a, id, 0, `live${i}@bench.example`, 'DELIVERED', sentAt, sentAt, sentAt, sentAt]);
      for (const part of chunk(rows, 5000)) {
        await conn.query('INSERT INTO messages (workspace_id, campaign_id, variant_id, contact_id, enrollment_id, email, status, send_at, sent_at, created_at, updated_at) VALUES ?', [part]);
      }
      await rollupMessagesCreated(conn, { campaignId: campaign.id });
    });
    // Engagement: a third open (some twice), a tenth click, a fiftieth convert.
    const later = (min: number) => `DATE_ADD(m.sent_at, INTERVAL ${min} MINUTE)`;
    const insertEvents = (type: string, where: string, at: string, extra = "NULL, NULL") =>
      ctx.db.sql.query(
        `INSERT INTO message_events (workspace_id, message_id, campaign_id, variant_id, contact_id, type, occurred_at, source, url, value)
         SELECT m.workspace_id, m.id, m.campaign_id, m.variant_id, m.contact_id, ?, ${at}, 'bench', ${extra} FROM messages m WHERE m.campaign_id = ? AND ${where}`,
        [type, campaign.id],
      );
    await insertEvents('open', 'm.id % 3 = 0', later(30));
    await insertEvents('open', 'm.id % 6 = 0', later(300));
    await insertEvents('click', 'm.id % 10 = 0', later(35), "CONCAT('https://shop.example.com/p/', m.id % 4), NULL");
    await insertEvents('conversion', 'm.id % 50 = 0', later(90), 'NULL, 25.5');
    await ctx.db.sql.query(
      `UPDATE messages SET opened_at = IF(id % 3 = 0, DATE_ADD(sent_at, INTERVAL 30 MINUTE), NULL), clicked_at = IF(id % 10 = 0, DATE_ADD(sent_at, INTERVAL 35 MINUTE), NULL),
              converted_at = IF(id % 50 = 0, DATE_ADD(sent_at, INTERVAL 90 MINUTE), NULL), revenue = IF(id % 50 = 0, 25.5, NULL) WHERE campaign_id = ?`,
      [campaign.id],
    );
    await rebuildCampaignRollups(world.core, { workspaceId: ctx.workspaceId, campaignId: campaign.id });
  }
}

let launched = 0;

/** A launched campaign to every contact (its messages wait for a sender). */
export async function launchLiveCampaign(world: BenchWorld): Promise<number> {
  const name = `Live bench ${++launched}`;
  const tpl = await createTemplate(world.ctx, {
    name,
    content: {
      subject: 'Hi {{ contact.first_name }}',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{ contact.first_name }}</mj-text><mj-button href="https://shop.example.com/sale">Sale</mj-button><mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  });
  const campaign = await createCampaign(world.ctx, { name, from: { email: 'news@bench.example' }, variants: [{ templateId: tpl.templateId }] });
  await launchCampaign(world.ctx, campaign.id);
  return campaign.id;
}

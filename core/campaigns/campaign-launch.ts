// Launch: freeze the template versions, snapshot the audience into message rows, schedule
// them, pick the A/B test group, and move the campaign out of DRAFT, all in one transaction.
import type { RowDataPacket } from 'mysql2/promise';
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError, ValidationError } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { getWorkspace } from '../workspaces/workspaces';
import { parseWorkspaceSettings } from '../workspaces/workspace-settings';
import { getCampaign, getVariants } from './campaigns.service';
import { audienceSql } from './audience';
import { assignTestGroup, lastSendAt, snapshotAudience } from './audience-snapshot';
import { applySendTimes } from './send-schedule';
import { retryingLockConflicts, withSqlTransaction } from '../db/sql-helpers';
import { rollupMessagesCreated } from '../analytics/rollup-writer';
import type { AudienceSpec, TriggerSpec } from './campaign-input';
import { baselineLifecycle } from './trigger-enrollment';
import './campaign-events';

export interface LaunchResult {
  status: string;
  audienceCount: number;
}

/** Launches a DRAFT campaign: broadcasts snapshot their audience; triggered campaigns go ACTIVE. */
export async function launchCampaign(ctx: WorkspaceContext, id: number): Promise<LaunchResult> {
  const campaign = await getCampaign(ctx, id);
  if (campaign.status !== 'DRAFT') throw new FailedPreconditionError(`campaign ${id} is ${campaign.status}; only drafts can be launched`);
  const variants = await getVariants(ctx, id);
  const versions = await latestVersions(ctx, variants.map((v) => v.templateId ?? 0));
  variants.forEach((v, i) => {
    if (!versions.get(v.templateId ?? 0)) throw ValidationError.at(['variants', i, 'templateId'], `template ${v.templateId} has no saved version`);
  });
  const audienceSpec = (campaign.audience ?? null) as AudienceSpec | null;
  const audience = await audienceSql(ctx, audienceSpec, ['audience']);
  const workspace = await getWorkspace(ctx);
  const settings = parseWorkspaceSettings(workspace.settings);
  const now = ctx.now();

  // The snapshot INSERT … SELECT can deadlock with concurrent writers of the same indexes; the
  // whole launch rolls back, so running it again is safe (and re-checks the DRAFT status).
  const result = await retryingLockConflicts(() => withSqlTransaction(ctx.db.sql, async (conn) => {
    const [[locked]] = await conn.query<RowDataPacket[]>('SELECT status FROM campaigns WHERE id = ? FOR UPDATE', [id]);
    if (locked?.status !== 'DRAFT') throw new FailedPreconditionError(`campaign ${id} is ${locked?.status}; only drafts can be launched`);
    for (const v of variants) await conn.query('UPDATE campaign_variants SET template_version_id = ? WHERE id = ?', [versions.get(v.templateId ?? 0), v.id]);

    if (campaign.type === 'TRIGGERED') {
      // Contacts already in a LIFECYCLE stage at launch are recorded as not entering (committed with ACTIVE).
      const trigger = campaign.trigger as TriggerSpec | null;
      if (trigger?.kind === 'LIFECYCLE') await baselineLifecycle(conn, { campaignId: id, workspaceId: ctx.workspaceId, stage: trigger.lifecycleStage!, now });
      await conn.query("UPDATE campaigns SET status = 'ACTIVE', launched_at = ?, updated_at = ? WHERE id = ?", [now, now, id]);
      return { status: 'ACTIVE', audienceCount: 0 };
    }
    const start = campaign.sendMode === 'NOW' || !campaign.sendAt || campaign.sendAt < now ? now : campaign.sendAt;
    const ab = variants.length > 1 && campaign.abTestFraction;
    const counts = await snapshotAudience(ctx, conn, {
      campaignId: id,
      category: campaign.category,
      audience,
      variantId: ab ? null : variants[0].id,
      status: ab ? 'HELD' : 'QUEUED',
      sendAt: start,
    });
    await applySendTimes(ctx, conn, {
      campaignId: id,
      statuses: ['QUEUED', 'HELD'],
      mode: campaign.sendMode,
      start,
      windowHours: campaign.stoWindowHours,
      quietHours: campaign.category === 'MARKETING' ? settings.quietHours : null,
      workspaceTimezone: workspace.timezone,
      defaultSendHour: settings.defaultSendHour,
      personaIds: audienceSpec?.includePersonaIds ?? [],
    });
    let abDecideAt: Date | null = null;
    if (ab) {
      const size = counts.inserted;
      const testSize = Math.min(size, Math.max(variants.length, Math.round(size * campaign.abTestFraction!)));
      await assignTestGroup(conn, { campaignId: id, variantIds: variants.map((v) => v.id), testSize });
      const testEnd = (await lastSendAt(conn, id, 'QUEUED')) ?? start;
      abDecideAt = new Date(Math.max(testEnd.getTime(), start.getTime()) + campaign.abWindowMinutes! * 60_000);
    }
    await rollupMessagesCreated(conn, { campaignId: id });
    // SENDING once the first message is due; until then the campaign is SCHEDULED.
    const status = start.getTime() <= now.getTime() ? 'SENDING' : 'SCHEDULED';
    const snapshot = { matched: counts.matched, noEmail: counts.noEmail, notConsenting: counts.notConsenting, suppressed: counts.suppressed, at: now.toISOString() };
    await conn.query(
      `UPDATE campaigns SET status = ?, launched_at = ?, send_at = ?, audience_count = ?, snapshot = ?, ab_phase = ?, ab_decide_at = ?, updated_at = ? WHERE id = ?`,
      [status, now, start, counts.inserted, JSON.stringify(snapshot), ab ? 'TESTING' : 'NONE', abDecideAt, now, id],
    );
    return { status, audienceCount: counts.inserted };
  }, { readCommitted: true }));

  await writeAudit(ctx, { action: 'campaign.launched', targetType: 'Campaign', targetId: id, details: { ...result } });
  ctx.events.emit('campaign.status.changed', { workspaceId: ctx.workspaceId, campaignId: id, status: result.status, previousStatus: 'DRAFT' });
  return result;
}

/** The id of each template's newest version. */
async function latestVersions(ctx: WorkspaceContext, templateIds: number[]): Promise<Map<number, number>> {
  const templates = await ctx.db.prisma.template.findMany({ where: { workspaceId: ctx.workspaceId, id: { in: templateIds } }, select: { id: true, latestVersion: true } });
  const rows = await ctx.db.prisma.templateVersion.findMany({
    where: { OR: templates.map((t) => ({ templateId: t.id, version: t.latestVersion })) },
    select: { id: true, templateId: true },
  });
  return new Map(rows.map((r) => [r.templateId, r.id]));
}

// Pause, resume and cancel, at any point of the lifecycle. Messages already handed to the
// provider cannot be called back; everything still waiting stops (pause) or is cancelled.
import type { WorkspaceContext } from '../context';
import { FailedPreconditionError } from '../errors';
import { writeAudit } from '../audit/audit-log';
import { getCampaign } from './campaigns.service';
import { transition, type CampaignStatus } from './campaign-status';
import { closeCircuit } from '../delivery/circuit-breaker';

/** Pauses a scheduled, sending or active campaign; `reason` is shown to users. */
export async function pauseCampaign(ctx: WorkspaceContext, id: number, reason?: string | null) {
  const c = await getCampaign(ctx, id);
  const from: CampaignStatus[] = ['SCHEDULED', 'SENDING', 'ACTIVE'];
  if (!from.includes(c.status)) throw new FailedPreconditionError(`campaign ${id} is ${c.status}; only scheduled, sending or active campaigns can be paused`);
  const text = reason?.trim() || 'paused by a user';
  const prev = await transition(ctx, id, [c.status], 'PAUSED', { resumeStatus: c.status, pauseReason: text.slice(0, 1000) }, text);
  if (!prev) throw new FailedPreconditionError(`campaign ${id} changed status meanwhile; try again`);
  await writeAudit(ctx, { action: 'campaign.paused', targetType: 'Campaign', targetId: id, details: { reason: text } });
  return getCampaign(ctx, id);
}

/** Resumes a paused campaign where it left off; a tripped provider circuit is closed again. */
export async function resumeCampaign(ctx: WorkspaceContext, id: number) {
  const c = await getCampaign(ctx, id);
  if (c.status !== 'PAUSED') throw new FailedPreconditionError(`campaign ${id} is ${c.status}; only paused campaigns can be resumed`);
  // Resuming is the operator saying the provider is fine again: give it a fresh start.
  await closeCircuit(ctx, c.integrationId ?? 0);
  const to = (c.resumeStatus ?? 'SENDING') as CampaignStatus;
  const prev = await transition(ctx, id, ['PAUSED'], to, { resumeStatus: null, pauseReason: null });
  if (!prev) throw new FailedPreconditionError(`campaign ${id} changed status meanwhile; try again`);
  await writeAudit(ctx, { action: 'campaign.resumed', targetType: 'Campaign', targetId: id });
  return getCampaign(ctx, id);
}

/** Cancels a campaign: waiting messages become CANCELLED and triggered enrollments exit. */
export async function cancelCampaign(ctx: WorkspaceContext, id: number) {
  const c = await getCampaign(ctx, id);
  const from: CampaignStatus[] = ['DRAFT', 'SCHEDULED', 'SENDING', 'ACTIVE', 'PAUSED'];
  if (!from.includes(c.status)) throw new FailedPreconditionError(`campaign ${id} is ${c.status} and cannot be cancelled`);
  const now = ctx.now();
  const prev = await transition(ctx, id, [c.status], 'CANCELLED', { completedAt: now, resumeStatus: null });
  if (!prev) throw new FailedPreconditionError(`campaign ${id} changed status meanwhile; try again`);
  // Claimed rows (SENDING) are released by their worker, which re-checks the campaign before dispatch.
  await ctx.db.sql.query("UPDATE messages SET status = 'CANCELLED', updated_at = ? WHERE campaign_id = ? AND status IN ('QUEUED', 'HELD')", [now, id]);
  await ctx.db.sql.query("UPDATE trigger_enrollments SET status = 'EXITED', exit_reason = 'campaign cancelled', processed_at = ? WHERE campaign_id = ? AND status = 'WAITING'", [now, id]);
  await writeAudit(ctx, { action: 'campaign.cancelled', targetType: 'Campaign', targetId: id });
  return getCampaign(ctx, id);
}

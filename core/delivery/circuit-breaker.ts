// Provider channels: one row per (workspace, provider configuration) holding its throttle
// window and its circuit breaker. A provider that fails batch after batch (every message
// retryable: 5xx, timeouts, 429s) trips the breaker: the circuit opens and every live
// campaign sending through it is paused with the provider's last error as the visible
// reason. Resuming a campaign closes the circuit again (core/campaigns/campaign-controls.ts).
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext, WorkspaceContext } from '../context';
import { transitionCampaign } from '../campaigns/campaign-status';
import '../analytics/analytics-events';

export interface ChannelRef {
  id: number;
  workspaceId: number;
  integrationId: number;
  providerKey: string;
}

/** The channel row for a resolved provider configuration (0: the built-in outbox), created on first use. */
export async function ensureChannel(core: CoreContext, args: { workspaceId: number; integrationId: number; providerKey: string }): Promise<ChannelRef & { circuitState: string; maxPerMinute: number | null }> {
  await core.db.sql.query(
    'INSERT IGNORE INTO provider_channels (workspace_id, integration_id, provider_key, updated_at) VALUES (?, ?, ?, ?)',
    [args.workspaceId, args.integrationId, args.providerKey, core.now()],
  );
  const [[row]] = await core.db.sql.query<RowDataPacket[]>(
    'SELECT id, circuit_state, max_per_minute FROM provider_channels WHERE workspace_id = ? AND integration_id = ?',
    [args.workspaceId, args.integrationId],
  );
  return { id: row.id, workspaceId: args.workspaceId, integrationId: args.integrationId, providerKey: args.providerKey, circuitState: row.circuit_state, maxPerMinute: row.max_per_minute };
}

/**
 * Records how a batch went. `failed` means the provider took none of it for reasons of its
 * own (all outcomes retryable). Returns true when this batch tripped the breaker.
 */
export async function recordBatchHealth(core: CoreContext, channel: ChannelRef, args: { failed: boolean; error?: string; threshold: number }): Promise<boolean> {
  if (!args.failed) {
    await core.db.sql.query('UPDATE provider_channels SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0', [channel.id]);
    return false;
  }
  await core.db.sql.query(
    'UPDATE provider_channels SET consecutive_failures = consecutive_failures + 1, last_error = ?, updated_at = ? WHERE id = ?',
    [(args.error ?? 'unknown error').slice(0, 1000), core.now(), channel.id],
  );
  // Compare-and-set: of several workers crossing the threshold together, one opens the circuit.
  const [res] = await core.db.sql.query(
    "UPDATE provider_channels SET circuit_state = 'OPEN', opened_at = ? WHERE id = ? AND circuit_state = 'CLOSED' AND consecutive_failures >= ?",
    [core.now(), channel.id, args.threshold],
  );
  if (!(res as { affectedRows: number }).affectedRows) return false;
  const reason = `provider "${channel.providerKey}" kept failing (${args.threshold} batches in a row); last error: ${args.error ?? 'unknown'}`;
  await pauseCampaignsOnChannel(core, channel, reason);
  core.events.emit('provider.circuit.opened', { workspaceId: channel.workspaceId, integrationId: channel.integrationId, providerKey: channel.providerKey, reason });
  return true;
}

/** Pauses every live campaign of the workspace that sends through this channel. */
async function pauseCampaignsOnChannel(core: CoreContext, channel: ChannelRef, reason: string): Promise<void> {
  const defaultId = await defaultIntegrationId(core, channel.workspaceId);
  const [rows] = await core.db.sql.query<RowDataPacket[]>(
    "SELECT id, status FROM campaigns WHERE workspace_id = ? AND status IN ('SENDING', 'ACTIVE', 'SCHEDULED') AND COALESCE(integration_id, ?) = ?",
    [channel.workspaceId, defaultId, channel.integrationId],
  );
  for (const r of rows) {
    await transitionCampaign(core, {
      workspaceId: channel.workspaceId,
      campaignId: r.id,
      from: [r.status],
      to: 'PAUSED',
      data: { resumeStatus: r.status, pauseReason: reason.slice(0, 1000) },
      reason,
    });
  }
}

/**
 * The workspace's default email provider configuration id, or 0 (the built-in outbox). A
 * disabled default is still returned: sending then stops with that reason rather than
 * quietly going to the outbox.
 */
export async function defaultIntegrationId(core: CoreContext, workspaceId: number): Promise<number> {
  const [[row]] = await core.db.sql.query<RowDataPacket[]>(
    "SELECT id FROM integration_configs WHERE workspace_id = ? AND kind = 'EMAIL_PROVIDER' AND is_default = 1 ORDER BY id LIMIT 1",
    [workspaceId],
  );
  return row?.id ?? 0;
}

/** Closes the circuit of a campaign's channel (`integrationId` 0 or null: the workspace default). */
export async function closeCircuit(ctx: WorkspaceContext, integrationId: number): Promise<void> {
  const resolved = integrationId || (await defaultIntegrationId(ctx, ctx.workspaceId));
  await ctx.db.sql.query(
    "UPDATE provider_channels SET circuit_state = 'CLOSED', consecutive_failures = 0, opened_at = NULL WHERE workspace_id = ? AND integration_id = ?",
    [ctx.workspaceId, resolved],
  );
}

/** Sets (or clears, with null) a channel's messages-per-minute limit. */
export async function setChannelThrottle(ctx: WorkspaceContext, args: { integrationId: number; providerKey: string; maxPerMinute: number | null }): Promise<void> {
  await ensureChannel(ctx, { workspaceId: ctx.workspaceId, integrationId: args.integrationId, providerKey: args.providerKey });
  await ctx.db.sql.query('UPDATE provider_channels SET max_per_minute = ? WHERE workspace_id = ? AND integration_id = ?', [args.maxPerMinute, ctx.workspaceId, args.integrationId]);
}

// One batch of one campaign, end to end: claim (lease) → last checks (suppression, consent,
// caps, quiet hours) → render → DISPATCHING (where the cap is decided for good, under the
// contacts' locks: dispatch-reservation.ts) → provider → outcomes → circuit breaker. Each step
// is recorded before the next starts, so a worker killed at any instant leaves every message
// in a state the reaper can resolve without sending anything twice (see message-claim.ts).
import type { RowDataPacket } from 'mysql2/promise';
import type { CoreContext } from '../context';
import { forWorkspace } from '../context';
import { parseWorkspaceSettings } from '../workspaces/workspace-settings';
import { AppError } from '../errors';
import { LinkCollector } from '../tracking/tracked-links';
import { trackingBuilder } from '../tracking/tracking-urls';
import type { EmailProviderInstance, OutgoingEmail, SendOutcome } from '../ports/email-provider';
import { transitionCampaign } from '../campaigns/campaign-status';
import { claimBatch, releaseClaimed } from './message-claim';
import { reserveDispatch } from './dispatch-reservation';
import { checkRecipients } from './recipient-checks';
import { recordDefers, recordOutcomes, recordRenderFailures, recordSkips } from './send-outcomes';
import { renderBatch, utmParams, type SendingCampaign } from './batch-render';
import { ProviderResolver } from './provider-resolver';
import { ensureChannel, recordBatchHealth } from './circuit-breaker';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import '../campaigns/campaign-events';

export interface SenderOptions {
  /** Identifies this worker in leases (host:pid:random). */
  owner: string;
  /** Base URL of the tracking and unsubscribe routes. */
  publicUrl: string;
  /** Most messages per batch (the provider's maxBatchSize may lower it). */
  batchSize?: number;
  /** Lease on claimed rows until they are dispatched. */
  claimLeaseMs?: number;
  /** Longest a provider call may take. */
  sendTimeoutMs?: number;
  /** Added to sendTimeoutMs for the dispatch lease, so a slow but alive worker is not presumed dead. */
  dispatchLeaseMarginMs?: number;
  backoff?: BackoffPolicy;
  /** Consecutive failed batches that trip a provider's circuit. */
  circuitThreshold?: number;
  random?: () => number;
}

export interface BatchReport {
  claimed: number;
  sent: number;
  failed: number;
  /** Of `failed`: messages that could not be rendered (never offered to the provider). */
  renderFailed: number;
  skipped: number;
  deferred: number;
  retried: number;
  /** When a throttle stopped the claim: when to come back. */
  throttledUntil?: Date;
}

const EMPTY: BatchReport = { claimed: 0, sent: 0, failed: 0, renderFailed: 0, skipped: 0, deferred: 0, retried: 0 };

export class CampaignSender {
  readonly providers: ProviderResolver;
  private readonly campaigns = new Map<number, SendingCampaign>();
  private readonly channels = new Map<string, { at: number; channel: Promise<Awaited<ReturnType<typeof ensureChannel>>> }>();
  private readonly opts: Required<Omit<SenderOptions, 'random'>> & { random?: () => number };

  constructor(private readonly core: CoreContext, opts: SenderOptions) {
    this.providers = new ProviderResolver(core);
    this.opts = { batchSize: 500, claimLeaseMs: 60_000, sendTimeoutMs: 60_000, dispatchLeaseMarginMs: 60_000, backoff: DEFAULT_BACKOFF, circuitThreshold: 5, ...opts };
  }

  /** Sends one batch of campaign `campaignId` if it is live and has due messages. */
  async sendBatch(campaignId: number): Promise<BatchReport> {
    const core = this.core;
    const [[c]] = await core.db.sql.query<RowDataPacket[]>(
      `SELECT c.id, c.workspace_id, c.status, c.category, c.integration_id, c.throttle_per_minute, w.timezone, w.settings
         FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id WHERE c.id = ?`,
      [campaignId],
    );
    if (!c || (c.status !== 'SENDING' && c.status !== 'ACTIVE')) return EMPTY;
    let provider: Awaited<ReturnType<ProviderResolver['resolve']>>;
    try {
      provider = await this.providers.resolve(c.workspace_id, c.integration_id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // The provider configuration is gone, disabled or invalid: stop with a visible reason.
      const reason = `cannot send: ${err.message}`;
      await transitionCampaign(core, { workspaceId: c.workspace_id, campaignId, from: [c.status], to: 'PAUSED', data: { resumeStatus: c.status, pauseReason: reason.slice(0, 1000) }, reason });
      return EMPTY;
    }
    let channel = await this.channel(c.workspace_id, provider.integrationId, provider.providerKey);
    // A cached OPEN may be stale (resuming closes the circuit): confirm before pausing again.
    if (channel.circuitState === 'OPEN') channel = await this.channel(c.workspace_id, provider.integrationId, provider.providerKey, true);
    if (channel.circuitState === 'OPEN') {
      await transitionCampaign(core, { workspaceId: c.workspace_id, campaignId, from: [c.status], to: 'PAUSED', data: { resumeStatus: c.status, pauseReason: `provider "${provider.providerKey}" circuit is open` }, reason: 'provider circuit open' });
      return EMPTY;
    }
    const claim = await claimBatch(core, {
      campaignId,
      owner: this.opts.owner,
      limit: Math.max(1, Math.min(this.opts.batchSize, provider.instance.maxBatchSize)),
      leaseMs: this.opts.claimLeaseMs,
      throttles: [{ table: 'campaigns', id: campaignId, limit: c.throttle_per_minute }, { table: 'provider_channels', id: channel.id, limit: channel.maxPerMinute }],
    });
    if (!claim.ids.length) return { ...EMPTY, throttledUntil: claim.throttledUntil };

    const ctx = forWorkspace(core, c.workspace_id, { type: 'system', name: 'delivery' });
    const settings = parseWorkspaceSettings(typeof c.settings === 'string' ? JSON.parse(c.settings) : c.settings);
    const checked = await checkRecipients(core, { ids: claim.ids, category: c.category, workspaceTimezone: c.timezone, settings });
    await recordSkips(core, this.opts.owner, checked.skip);
    await recordDefers(core, this.opts.owner, checked.defer);
    const report: BatchReport = { ...EMPTY, claimed: claim.ids.length, skipped: checked.skip.length, deferred: checked.defer.length };
    if (!checked.send.length) return this.announce(c, report);

    const links = new LinkCollector();
    const campaign = await this.campaign(campaignId);
    const rendered = await renderBatch(ctx, { campaign, recipients: checked.send, tracking: await trackingBuilder(core, this.opts.publicUrl), links });
    await recordRenderFailures(core, this.opts.owner, rendered.failures);
    report.failed += rendered.failures.length;
    report.renderFailed += rendered.failures.length;
    await links.flush(core);

    const ids = rendered.ok.map((o) => o.recipient.id);
    // The frequency cap is decided again here, atomically with other batches to the same contacts.
    const reserved = await reserveDispatch(core, {
      campaignId,
      category: c.category,
      recipients: rendered.ok.map((o) => o.recipient),
      owner: this.opts.owner,
      leaseMs: this.opts.sendTimeoutMs + this.opts.dispatchLeaseMarginMs,
      settings,
    });
    report.skipped += reserved.skipped.length;
    const mine = new Set(reserved.dispatching.map(String));
    const capped = new Set(reserved.skipped.map((s) => String(s.id)));
    const batch = rendered.ok.filter((o) => mine.has(String(o.recipient.id)));
    if (batch.length + capped.size < ids.length) {
      // Paused or cancelled while we worked: hand the rest back rather than send it.
      const [[now]] = await core.db.sql.query<RowDataPacket[]>('SELECT status FROM campaigns WHERE id = ?', [campaignId]);
      const rest = ids.filter((id) => !mine.has(String(id)) && !capped.has(String(id)));
      await releaseClaimed(core, { ids: rest, owner: this.opts.owner, status: now?.status === 'CANCELLED' ? 'CANCELLED' : 'QUEUED' });
    }
    if (!batch.length) return this.announce(c, report);

    const outcomes = await this.dispatch(provider.instance, batch.map((b) => b.email));
    const counts = await recordOutcomes(core, {
      owner: this.opts.owner,
      ids: batch.map((b) => b.recipient.id),
      attempts: batch.map((b) => b.recipient.attempt),
      outcomes,
      policy: this.opts.backoff,
      random: this.opts.random,
    });
    const tripped = await recordBatchHealth(core, channel, { failed: counts.providerFailing, error: counts.lastError, threshold: this.opts.circuitThreshold });
    // Other processes see the open circuit within the channel cache's 5 s; this one at once.
    if (tripped) this.channels.delete(`${c.workspace_id}:${provider.integrationId}`);
    report.sent += counts.sent;
    report.failed += counts.failed;
    report.retried += counts.retried;
    return this.announce(c, report);
  }

  async close(): Promise<void> {
    await this.providers.closeAll();
  }

  // The provider contract says send never throws; a buggy provider still must not lose a batch.
  private async dispatch(instance: EmailProviderInstance, messages: OutgoingEmail[]): Promise<SendOutcome[]> {
    try {
      return await instance.send({ messages, signal: AbortSignal.timeout(this.opts.sendTimeoutMs) });
    } catch (err) {
      const reason = `provider error: ${(err as Error).message ?? String(err)}`;
      return messages.map(() => ({ status: 'retryable' as const, reason }));
    }
  }

  private announce(c: RowDataPacket, r: BatchReport): BatchReport {
    this.core.events.emit('campaign.batch.sent', { workspaceId: c.workspace_id, campaignId: c.id, sent: r.sent, failed: r.failed, renderFailed: r.renderFailed, skipped: r.skipped, retried: r.retried });
    return r;
  }

  // A channel's row changes rarely (throttle settings, circuit state); re-read every few
  // seconds. A tripped circuit pauses its campaigns, which every batch re-checks anyway.
  private channel(workspaceId: number, integrationId: number, providerKey: string, fresh = false) {
    const key = `${workspaceId}:${integrationId}`;
    const hit = this.channels.get(key);
    if (hit && !fresh && Date.now() - hit.at < 5_000) return hit.channel;
    const channel = ensureChannel(this.core, { workspaceId, integrationId, providerKey });
    this.channels.set(key, { at: Date.now(), channel });
    channel.catch(() => this.channels.delete(key));
    return channel;
  }

  /** What rendering needs of a campaign; fixed after launch, so cached per process. */
  private async campaign(id: number): Promise<SendingCampaign> {
    const hit = this.campaigns.get(id);
    if (hit) return hit;
    const row = await this.core.db.prisma.campaign.findUniqueOrThrow({ where: { id }, include: { variants: true } });
    const campaign: SendingCampaign = {
      id: row.id,
      name: row.name,
      fromEmail: row.fromEmail,
      fromName: row.fromName,
      replyToEmail: row.replyToEmail,
      replyToName: row.replyToName,
      utm: utmParams(row.utm),
      variants: new Map(row.variants.map((v) => [v.id, { id: v.id, name: v.name, templateVersionId: v.templateVersionId, subject: v.subject, fromName: v.fromName }])),
    };
    if (this.campaigns.size > 1000) this.campaigns.clear();
    this.campaigns.set(id, campaign);
    return campaign;
  }
}

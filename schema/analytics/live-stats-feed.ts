// Coalesced "this campaign's figures changed" ticks, one feed per pubsub (per process).
// Delivery announces every committed counter change and every applied event set; a busy campaign would push
// hundreds of updates a second to every dashboard. The feed listens once per process and
// rations ticks per campaign with a token bucket: `burst` tokens, one more every `intervalMs`.
// - a change while a token is left ticks at once (no added wait). Two or three changes a few
//   milliseconds apart are common (the sender's concurrent batches commit together); with a
//   plain minimum interval the second waited up to `intervalMs` (bench/live: those changes made
//   the tail, p50 140–180 ms against 50–100 ms for the others);
// - bounded: with no token left, the change waits for the next one, and every change in the
//   meantime is folded into that one tick (the last change is never lost). A busy campaign
//   costs at most `1000 / intervalMs` reads and fan-outs a second, plus `burst` after a lull.
// - changes that arrive together (in one synchronous run: Redis hands the messages of one
//   socket read over back to back, several when the process was busy) make one tick, which
//   is handed out once that run is over. Its read starts after all of them committed, so it
//   includes them all; a tick each cost a second read and fan-out of the same figures
//   (bench/live probe: two ticks at the same millisecond, the second's fan-out delaying the
//   next change's announcement by ~50 ms).
// - after a Redis outage (`pubsub.resynced`, api/pubsub-bridge.ts), every watched campaign is
//   treated as changed: counters other processes moved meanwhile were never announced here.
//   Those ticks go through the same bucket, so they are shared and rationed like any other.
// Every subscriber of a campaign is handed the same tick object, so identical subscribers
// share one execution of it (api/yoga-plugins/use-shared-subscription-results.ts). Each keeps
// only its newest tick, so a slow client skips stale figures.
import type { AppPubSub } from '../pubsub';
import { LatestValueStream } from './latest-value-stream';
import '../../core/analytics/analytics-events';

export interface StatsTick {
  workspaceId: number;
  campaignId: number;
  /** Identifies the tick: subscribers of one tick share one load (metrics-loaders.ts). */
  seq: number;
}

/**
 * Events after which a campaign's counters may have changed. Not `campaign.batch.sent`: every
 * counter a batch moves is announced at its commit (analytics.rollups.changed, from the rollup
 * writer's callers), and the end-of-batch event would only repeat the last of them — one more
 * read and fan-out of the same figures to every subscriber.
 */
export const STATS_CHANGE_TOPICS = ['message.events.applied', 'campaign.ab.decided', 'campaign.status.changed', 'analytics.rollups.changed'] as const;

/** At most this many updates per second per campaign, sustained ("a few times a second"). */
export const DEFAULT_TICKS_PER_SECOND = 10;
/**
 * Ticks that may go out at once after a lull, before the rate applies: as many as a sender
 * runs batches of one campaign at once (4 slots, api/workers/campaign-sender.loop.ts), whose
 * commits tend to land together. bench/live, worker phase, interleaved runs: p50 55–60 ms
 * with 4 against 63–68 ms with 2; the sustained bound (DEFAULT_TICKS_PER_SECOND) is the same.
 */
export const DEFAULT_TICK_BURST = 4;

interface CampaignState {
  workspaceId: number;
  listeners: Set<(tick: StatsTick) => void>;
  /** Ticks that may go out now (token bucket), as of `refilledAt`. */
  tokens: number;
  refilledAt: number;
  timer: NodeJS.Timeout | null;
  /** A tick is spent and goes out when the current synchronous run ends. */
  queued: boolean;
}

let seq = 0;

export class LiveStatsFeed {
  private readonly campaigns = new Map<number, CampaignState>();
  private stopTopics: (() => void) | null = null;

  constructor(
    private readonly pubsub: AppPubSub,
    private readonly intervalMs = 1000 / DEFAULT_TICKS_PER_SECOND,
    private readonly burst = DEFAULT_TICK_BURST,
  ) {}

  /** Ticks for one campaign, starting with one at once (the current figures). */
  subscribe(workspaceId: number, campaignId: number): AsyncIterableIterator<StatsTick> {
    let state = this.campaigns.get(campaignId);
    if (!state) this.campaigns.set(campaignId, (state = { workspaceId, listeners: new Set(), tokens: this.burst, refilledAt: Date.now(), timer: null, queued: false }));
    const campaign = state;
    const stream: LatestValueStream<StatsTick> = new LatestValueStream(() => {
      campaign.listeners.delete(listener);
      if (!campaign.listeners.size && this.campaigns.get(campaignId) === campaign) {
        if (campaign.timer) clearTimeout(campaign.timer);
        this.campaigns.delete(campaignId);
      }
      if (!this.campaigns.size) this.stopAllTopics();
    });
    const listener = (tick: StatsTick) => stream.push(tick);
    campaign.listeners.add(listener);
    this.startTopics();
    stream.push({ workspaceId, campaignId, seq: ++seq });
    return stream;
  }

  /** Campaigns with subscribers in this process (for metrics). */
  get campaignCount(): number {
    return this.campaigns.size;
  }

  private changed(workspaceId: number, campaignId: number): void {
    const state = this.campaigns.get(campaignId);
    if (!state || state.workspaceId !== workspaceId || state.timer || state.queued) return;
    this.refill(state);
    if (state.tokens >= 1) return this.emit(campaignId, state);
    state.timer = setTimeout(() => {
      state.timer = null;
      this.refill(state);
      this.emit(campaignId, state);
    }, Math.ceil((1 - state.tokens) * this.intervalMs));
  }

  private refill(state: CampaignState): void {
    const now = Date.now();
    state.tokens = Math.min(this.burst, state.tokens + (now - state.refilledAt) / this.intervalMs);
    state.refilledAt = now;
  }

  /** Spends a token (the caller has refilled the bucket); every listener gets the tick once this run ends. */
  private emit(campaignId: number, state: CampaignState): void {
    state.tokens -= 1;
    state.queued = true;
    queueMicrotask(() => {
      state.queued = false;
      const tick = { workspaceId: state.workspaceId, campaignId, seq: ++seq };
      for (const l of state.listeners) l(tick);
    });
  }

  private startTopics(): void {
    if (this.stopTopics) return;
    const stopChanges = this.pubsub.listen(STATS_CHANGE_TOPICS, (_topic, payload) => {
      const e = payload as { workspaceId: number; campaignId?: number; campaignIds?: number[] };
      for (const id of e.campaignIds ?? (e.campaignId !== undefined ? [e.campaignId] : [])) this.changed(e.workspaceId, id);
    });
    const stopResync = this.pubsub.listen(['pubsub.resynced'], () => {
      for (const [id, state] of this.campaigns) this.changed(state.workspaceId, id);
    });
    this.stopTopics = () => {
      stopChanges();
      stopResync();
    };
  }

  private stopAllTopics(): void {
    this.stopTopics?.();
    this.stopTopics = null;
  }
}

const feeds = new WeakMap<AppPubSub, LiveStatsFeed>();

/** The feed of this process's pubsub; `ticksPerSecond` applies when this call creates it. */
export function liveStatsFeed(pubsub: AppPubSub, ticksPerSecond = DEFAULT_TICKS_PER_SECOND): LiveStatsFeed {
  let feed = feeds.get(pubsub);
  if (!feed) feeds.set(pubsub, (feed = new LiveStatsFeed(pubsub, 1000 / ticksPerSecond)));
  return feed;
}

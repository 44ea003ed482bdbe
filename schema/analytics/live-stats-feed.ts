// Coalesced "this campaign's figures changed" ticks, one feed per pubsub (per process).
// Delivery announces every batch and every applied event set; a busy campaign would push
// hundreds of updates a second to every dashboard. The feed listens once per process, and
// per campaign emits at most one tick every `intervalMs`: at once when the campaign has been
// quiet, otherwise at the end of the interval (so the last change is never lost). Each
// subscriber keeps only its newest tick, so a slow client skips stale figures.
import { Repeater, SlidingBuffer } from 'graphql-yoga';
import type { AppPubSub } from '../pubsub';
import '../../core/analytics/analytics-events';

export interface StatsTick {
  workspaceId: number;
  campaignId: number;
  /** Identifies the tick: subscribers of one tick share one load (metrics-loaders.ts). */
  seq: number;
}

/** Events after which a campaign's counters may have changed. */
export const STATS_CHANGE_TOPICS = ['message.events.applied', 'campaign.batch.sent', 'campaign.ab.decided', 'campaign.status.changed', 'analytics.rollups.changed'] as const;

/** At most this many updates per second per campaign. */
export const DEFAULT_TICKS_PER_SECOND = 4;

interface CampaignState {
  workspaceId: number;
  listeners: Set<(tick: StatsTick) => void>;
  lastEmit: number;
  timer: NodeJS.Timeout | null;
}

let seq = 0;

export class LiveStatsFeed {
  private readonly campaigns = new Map<number, CampaignState>();
  private stopTopics: (() => void) | null = null;

  constructor(private readonly pubsub: AppPubSub, private readonly intervalMs = 1000 / DEFAULT_TICKS_PER_SECOND) {}

  /** Ticks for one campaign, starting with one at once (the current figures). */
  subscribe(workspaceId: number, campaignId: number): AsyncIterable<StatsTick> {
    return new Repeater<StatsTick>(async (push, stop) => {
      let state = this.campaigns.get(campaignId);
      if (!state) this.campaigns.set(campaignId, (state = { workspaceId, listeners: new Set(), lastEmit: 0, timer: null }));
      const listener = (tick: StatsTick) => void push(tick);
      state.listeners.add(listener);
      this.startTopics();
      void push({ workspaceId, campaignId, seq: ++seq });
      await stop;
      state.listeners.delete(listener);
      if (!state.listeners.size) {
        if (state.timer) clearTimeout(state.timer);
        this.campaigns.delete(campaignId);
      }
      if (!this.campaigns.size) this.stopAllTopics();
    }, new SlidingBuffer(1));
  }

  /** Campaigns with subscribers in this process (for metrics). */
  get campaignCount(): number {
    return this.campaigns.size;
  }

  private changed(workspaceId: number, campaignId: number): void {
    const state = this.campaigns.get(campaignId);
    if (!state || state.workspaceId !== workspaceId || state.timer) return;
    const wait = state.lastEmit + this.intervalMs - Date.now();
    if (wait <= 0) this.emit(campaignId, state);
    else state.timer = setTimeout(() => this.emit(campaignId, state), wait);
  }

  private emit(campaignId: number, state: CampaignState): void {
    state.timer = null;
    state.lastEmit = Date.now();
    const tick = { workspaceId: state.workspaceId, campaignId, seq: ++seq };
    for (const l of state.listeners) l(tick);
  }

  private startTopics(): void {
    if (this.stopTopics) return;
    this.stopTopics = this.pubsub.listen(STATS_CHANGE_TOPICS, (_topic, payload) => {
      const e = payload as { workspaceId: number; campaignId?: number; campaignIds?: number[] };
      for (const id of e.campaignIds ?? (e.campaignId !== undefined ? [e.campaignId] : [])) this.changed(e.workspaceId, id);
    });
  }

  private stopAllTopics(): void {
    this.stopTopics?.();
    this.stopTopics = null;
  }
}

const feeds = new WeakMap<AppPubSub, LiveStatsFeed>();

/** The feed of this process's pubsub. */
export function liveStatsFeed(pubsub: AppPubSub): LiveStatsFeed {
  let feed = feeds.get(pubsub);
  if (!feed) feeds.set(pubsub, (feed = new LiveStatsFeed(pubsub)));
  return feed;
}

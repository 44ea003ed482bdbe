// A per-process cache of campaign figures for queries (dashboards are read far more often than
// their figures change). An entry is dropped as soon as an event says the campaign's counters
// may have changed (the same events that drive campaignStats, which reach every process
// through the pubsub), and is never older than MAX_AGE_MS in any case — the bound that holds
// even while events cannot arrive (Redis down, a writer that announces nothing).
import type { AppPubSub } from '../pubsub';
import type { CampaignFigures } from '../../core/analytics/campaign-stats';
import { STATS_CHANGE_TOPICS } from './live-stats-feed';

export const MAX_AGE_MS = 1_000;
const MAX_ENTRIES = 20_000;

export class FiguresCache {
  private readonly entries = new Map<string, { figures: CampaignFigures; at: number }>();
  /** When each campaign was last said to have changed: a read that started before must not be kept. */
  private readonly changedAt = new Map<string, number>();
  private detach: (() => void) | null = null;

  constructor(private readonly pubsub: AppPubSub) {}

  get(workspaceId: number, campaignId: number): CampaignFigures | undefined {
    const hit = this.entries.get(`${workspaceId}:${campaignId}`);
    if (!hit) return undefined;
    if (Date.now() - hit.at > MAX_AGE_MS) {
      this.entries.delete(`${workspaceId}:${campaignId}`);
      return undefined;
    }
    return hit.figures;
  }

  /** Stores figures read at `readAt` (taken before the read, so a change during it is not masked). */
  set(workspaceId: number, campaignId: number, figures: CampaignFigures, readAt: number): void {
    this.listen();
    const key = `${workspaceId}:${campaignId}`;
    if ((this.changedAt.get(key) ?? 0) >= readAt) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { figures, at: readAt });
  }

  private listen(): void {
    if (this.detach) return;
    this.detach = this.pubsub.listen(STATS_CHANGE_TOPICS, (_topic, payload) => {
      const e = payload as { workspaceId: number; campaignId?: number; campaignIds?: number[] };
      const now = Date.now();
      if (this.changedAt.size >= MAX_ENTRIES) this.changedAt.clear();
      for (const id of e.campaignIds ?? (e.campaignId !== undefined ? [e.campaignId] : [])) {
        this.entries.delete(`${e.workspaceId}:${id}`);
        this.changedAt.set(`${e.workspaceId}:${id}`, now);
      }
    });
  }
}

const caches = new WeakMap<AppPubSub, FiguresCache>();

/** The cache of this process's pubsub. */
export function figuresCache(pubsub: AppPubSub): FiguresCache {
  let cache = caches.get(pubsub);
  if (!cache) caches.set(pubsub, (cache = new FiguresCache(pubsub)));
  return cache;
}

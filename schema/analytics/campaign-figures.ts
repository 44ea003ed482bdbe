// Loading a campaign's figures (totals, variants and personas in one statement) for GraphQL:
// Campaign.metrics, the deprecated Campaign.stats figures, the dashboard and live ticks all
// read through here, so in one request they share one load and the figures cache.
// Kept apart from the types (campaign-metrics.type.ts), which import the Campaign type: the
// Campaign type needs this too, and would otherwise import its own importer.
import type { GraphQLContext } from '../context';
import type { MetricsParent } from './metrics.interface';
import { requestLoader, scopedLoad, type LoadScope } from './metrics-loaders';
import { figuresCache, type FiguresCache } from './figures-cache';
import { campaignFigures, type CampaignFigures, type PersonaStats, type VariantStats } from '../../core/analytics/campaign-stats';
import type { WorkspaceContext } from '../../core/context';

export interface CampaignMetricsParent extends MetricsParent {
  campaignId: number;
  updatedAt: Date | null;
  /** Loaded with the totals, in the same statement. */
  variants: VariantStats[];
  personas: PersonaStats[];
}

/** CampaignMetrics of a campaign (totals, variants and personas in one load), loaded for `scope`. */
export async function campaignMetrics(ctx: GraphQLContext, campaignId: number, scope: LoadScope): Promise<CampaignMetricsParent> {
  const cache = figuresCache(ctx.pubsub);
  // Live ticks always read (once per tick for every subscriber of the process); queries may use
  // recent figures. Hits go through the batch too, so a page resolves in one wave and the
  // fields below it (variant and persona rows) batch into one statement each.
  const f =
    scope.kind === 'request'
      ? await requestLoader(ctx, 'figures', (w, ids) => cachedFigures(cache, w, ids)).load(campaignId)
      : await scopedLoad(ctx, scope, 'figures', campaignId, (w, ids) => freshFigures(cache, w, ids));
  return { campaignId, counts: f.totals.counts, updatedAt: f.totals.updatedAt, variants: f.variants, personas: f.personas };
}

async function freshFigures(cache: FiguresCache, w: WorkspaceContext, ids: readonly number[]): Promise<Map<number, CampaignFigures>> {
  const readAt = Date.now();
  const fetched = await campaignFigures(w, ids);
  for (const [id, f] of fetched) cache.set(w.workspaceId, id, f, readAt);
  return fetched;
}

async function cachedFigures(cache: FiguresCache, w: WorkspaceContext, ids: readonly number[]): Promise<Map<number, CampaignFigures>> {
  const out = new Map<number, CampaignFigures>();
  const misses: number[] = [];
  for (const id of ids) {
    const hit = cache.get(w.workspaceId, id);
    if (hit) out.set(id, hit);
    else misses.push(id);
  }
  if (misses.length) for (const [id, f] of await freshFigures(cache, w, misses)) out.set(id, f);
  return out;
}

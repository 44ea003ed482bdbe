// How analytics fields load their figures.
// - In a query, per-request dataloaders batch a page of campaigns into one statement each.
//   They never memoise (cache: false): a subscription reuses its context for every event,
//   and a memoised loader would keep serving the first event's figures.
// - For a live update, every subscriber in this process that receives the same tick shares one
//   load (keyed by workspace, campaign and tick), so 1,000 subscribers cost one query.
import DataLoader from 'dataloader';
import type { GraphQLContext } from '../context';
import { ws } from '../context';
import type { WorkspaceContext } from '../../core/context';

const loaders = new WeakMap<GraphQLContext, Map<string, DataLoader<number, unknown>>>();

/** A batching loader for this request (by name), keyed by campaign id. */
export function requestLoader<T>(ctx: GraphQLContext, name: string, batch: (wctx: WorkspaceContext, ids: readonly number[]) => Promise<Map<number, T>>): DataLoader<number, T> {
  let perCtx = loaders.get(ctx);
  if (!perCtx) loaders.set(ctx, (perCtx = new Map()));
  let loader = perCtx.get(name) as DataLoader<number, T> | undefined;
  if (!loader) {
    const wctx = ws(ctx);
    loader = new DataLoader<number, T>(
      async (ids) => {
        const found = await batch(wctx, ids);
        return ids.map((id) => found.get(id) as T);
      },
      { cache: false },
    );
    perCtx.set(name, loader as DataLoader<number, unknown>);
  }
  return loader;
}

const shared = new Map<string, { value: Promise<unknown>; expires: number }>();
const SHARED_TTL_MS = 5_000;

/** One load per key for every caller within a few seconds (live updates fan out to many subscribers). */
export function sharedLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = shared.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  if (shared.size > 10_000) for (const [k, v] of shared) if (v.expires <= now) shared.delete(k);
  const value = load();
  shared.set(key, { value, expires: now + SHARED_TTL_MS });
  value.catch(() => shared.delete(key));
  return value;
}

/** Where a CampaignMetrics value came from: a request (batch with the page) or a live tick (share with the other subscribers). */
export type LoadScope = { kind: 'request' } | { kind: 'tick'; seq: number };

/** Loads `name` for one campaign in the right way for `scope`. */
export function scopedLoad<T>(
  ctx: GraphQLContext,
  scope: LoadScope,
  name: string,
  campaignId: number,
  batch: (wctx: WorkspaceContext, ids: readonly number[]) => Promise<Map<number, T>>,
): Promise<T> {
  if (scope.kind === 'request') return requestLoader(ctx, name, batch).load(campaignId);
  const wctx = ws(ctx);
  return sharedLoad(`${name}:${wctx.workspaceId}:${campaignId}:${scope.seq}`, async () => (await batch(wctx, [campaignId])).get(campaignId) as T);
}

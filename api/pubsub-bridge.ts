// Domain events → GraphQL pubsub. Every domain event is published under its own name; with
// REDIS_URL the pubsub spans processes, so an event emitted by a worker reaches subscribers
// connected to any API process. If Redis goes away, events keep flowing inside each process
// (resilient-event-target.ts) and cross-process delivery resumes when it returns.
//
// Catch-up: what other processes published during the outage never arrives here. When Redis
// returns after an outage, the bridge publishes the local-only topic `pubsub.resynced` once;
// live feeds that re-read state listen to it and re-read (campaignStats ticks every watched
// campaign, campaignStatusChanged reports statuses that moved meanwhile). Streams of discrete
// events (workspaceActivity, personaMembershipChanged…) cannot be rebuilt from state: the
// events other processes published during the outage are lost to this process's subscribers.
import Redis from 'ioredis';
import type { DomainEventBus } from '../core/domain-event-bus';
import type { Logger } from '../core/logger';
import { createAppPubSub, LOCAL_TOPICS, type AppPubSub } from '../schema/pubsub';
import { createResilientEventTarget, failFastRedisOptions, type PubSubMode, type ResilientEventTarget } from './resilient-event-target';

export interface PubSubHandle {
  pubsub: AppPubSub;
  /** A Redis client for other shared state (rate limits), or null without REDIS_URL. */
  redis: Redis | null;
  /** "redis" while events are shared across processes, "local" without Redis or while it is down. */
  mode(): PubSubMode;
  close(): Promise<void>;
}

/** Unique per resync in this process (several bridges may share a process, as in tests). */
let resyncSeq = 0;

export function createPubSubBridge(args: { bus: DomainEventBus; redisUrl?: string; log: Logger; onModeChange?: (mode: PubSubMode) => void }): PubSubHandle {
  let target: ResilientEventTarget | null = null;
  let redis: Redis | null = null;
  const onModeChange = (mode: PubSubMode, change: { afterOutage: boolean }) => {
    // Not on a first connection without an outage: nothing can have been missed then.
    if (mode === 'redis' && change.afterOutage) {
      const seq = ++resyncSeq;
      args.log.info({ seq }, 'pubsub resynced: live subscriptions re-read what other processes changed during the Redis outage');
      pubsub.publish('pubsub.resynced', { seq });
    }
    args.onModeChange?.(mode);
  };
  if (args.redisUrl) {
    target = createResilientEventTarget({ url: args.redisUrl, log: args.log, localTopics: LOCAL_TOPICS, onModeChange });
    redis = new Redis(args.redisUrl, { ...failFastRedisOptions(), connectionName: 'personae-state' });
    // The rate limiter falls back to per-process limits on errors; the event target reports outages.
    redis.on('error', (err: Error) => args.log.debug({ err: err.message }, 'redis connection error'));
  }
  const pubsub = createAppPubSub(target ?? undefined);
  const off = args.bus.onAny((name, payload) => pubsub.publish(name, payload as never));
  return {
    pubsub,
    redis,
    mode: () => target?.mode() ?? 'local',
    async close() {
      off();
      await Promise.allSettled([target?.close(), redis?.quit().catch(() => redis?.disconnect())]);
    },
  };
}

// Domain events → GraphQL pubsub. Every domain event is published under its own name; with
// REDIS_URL the pubsub spans processes, so an event emitted by a worker reaches subscribers
// connected to any API process.
import Redis from 'ioredis';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { DomainEventBus } from '../core/domain-event-bus';
import type { Logger } from '../core/logger';
import { createAppPubSub, type AppPubSub } from '../schema/pubsub';

export interface PubSubHandle {
  pubsub: AppPubSub;
  /** A Redis client for other shared state (rate limits), or null without REDIS_URL. */
  redis: Redis | null;
  close(): Promise<void>;
}

export function createPubSubBridge(args: { bus: DomainEventBus; redisUrl?: string; log: Logger }): PubSubHandle {
  let pubsub: AppPubSub;
  const clients: Redis[] = [];
  let redis: Redis | null = null;
  if (args.redisUrl) {
    const make = () => {
      const c = new Redis(args.redisUrl!, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
      c.on('error', (err) => args.log.warn({ err: err.message }, 'redis connection problem'));
      clients.push(c);
      return c;
    };
    redis = make();
    pubsub = createAppPubSub(createRedisEventTarget({ publishClient: make(), subscribeClient: make() }) as never);
  } else {
    pubsub = createAppPubSub();
  }
  const off = args.bus.onAny((name, payload) => pubsub.publish(name, payload as never));
  return {
    pubsub,
    redis,
    async close() {
      off();
      await Promise.allSettled(clients.map((c) => c.quit()));
    },
  };
}

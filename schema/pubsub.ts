import { createPubSub, type PubSub } from 'graphql-yoga';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { DomainEventMap } from '../core/domain-events';

/**
 * Pubsub topics are the domain events themselves: a subscription listens to the event
 * names it cares about and receives their payloads (ids and the workspace id, never rows),
 * then re-reads through the same authorised resolvers. Adding a domain event adds a topic.
 */
export type PubSubTopics = { [K in keyof DomainEventMap]: [DomainEventMap[K]] } & LocalTopics;

/**
 * Topics that never leave this process (api/resilient-event-target.ts keeps them off Redis).
 * `pubsub.resynced`: the shared pubsub is back after an outage in which other processes'
 * events were lost here; live feeds that re-read state re-read it once (api/pubsub-bridge.ts).
 * `seq` is unique per resync in this process, so subscribers can share the re-reads.
 */
export type LocalTopics = {
  'pubsub.resynced': [{ seq: number }];
};

export const LOCAL_TOPICS: readonly (keyof LocalTopics)[] = ['pubsub.resynced'];

export type Topic = keyof PubSubTopics;

export type AppPubSub = PubSub<PubSubTopics> & {
  /**
   * Calls `handler` for every event of `topics`, synchronously and in the order they were
   * published (separate `subscribe` streams can interleave differently). Returns a detach function.
   */
  listen<K extends Topic>(topics: readonly K[], handler: (topic: K, payload: PubSubTopics[K][0]) => void): () => void;
};

/** In-process by default; pass a Redis event target so several processes share events. */
export function createAppPubSub(eventTarget?: TypedEventTarget<CustomEvent>): AppPubSub {
  const target = eventTarget ?? (new EventTarget() as unknown as TypedEventTarget<CustomEvent>);
  const pubsub = createPubSub<PubSubTopics>({ eventTarget: target as never });
  return Object.assign(pubsub, {
    listen<K extends Topic>(topics: readonly K[], handler: (topic: K, payload: PubSubTopics[K][0]) => void) {
      const detach = topics.map((topic) => {
        const listener = (event: CustomEvent) => handler(topic, event.detail as PubSubTopics[K][0]);
        target.addEventListener(topic, listener as never);
        return () => target.removeEventListener(topic, listener as never);
      });
      return () => detach.forEach((d) => d());
    },
  });
}

import { createPubSub, type PubSub } from 'graphql-yoga';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { DomainEventMap } from '../core/domain-events';

/**
 * Pubsub topics are the domain events themselves: a subscription listens to the event
 * names it cares about and receives their payloads (ids and the workspace id, never rows),
 * then re-reads through the same authorised resolvers. Adding a domain event adds a topic.
 */
export type PubSubTopics = { [K in keyof DomainEventMap]: [DomainEventMap[K]] };

export type Topic = keyof PubSubTopics;

export type AppPubSub = PubSub<PubSubTopics> & {
  /**
   * Calls `handler` for every event of `topics`, synchronously and in the order they were
   * published (separate `subscribe` streams can interleave differently). Returns a detach function.
   */
  listen<K extends Topic>(topics: readonly K[], handler: (topic: K, payload: DomainEventMap[K]) => void): () => void;
};

/** In-process by default; pass a Redis event target so several processes share events. */
export function createAppPubSub(eventTarget?: TypedEventTarget<CustomEvent>): AppPubSub {
  const target = eventTarget ?? (new EventTarget() as unknown as TypedEventTarget<CustomEvent>);
  const pubsub = createPubSub<PubSubTopics>({ eventTarget: target as never });
  return Object.assign(pubsub, {
    listen<K extends Topic>(topics: readonly K[], handler: (topic: K, payload: DomainEventMap[K]) => void) {
      const detach = topics.map((topic) => {
        const listener = (event: CustomEvent) => handler(topic, event.detail as DomainEventMap[K]);
        target.addEventListener(topic, listener as never);
        return () => target.removeEventListener(topic, listener as never);
      });
      return () => detach.forEach((d) => d());
    },
  });
}

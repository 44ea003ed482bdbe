import { createPubSub, type PubSub } from 'graphql-yoga';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { DomainEventMap } from '../core/domain-events';

/**
 * Pubsub topics are the domain events themselves: a subscription listens to the event
 * names it cares about and receives their payloads (ids and the workspace id, never rows),
 * then re-reads through the same authorised resolvers. Adding a domain event adds a topic.
 */
export type PubSubTopics = { [K in keyof DomainEventMap]: [DomainEventMap[K]] };

export type AppPubSub = PubSub<PubSubTopics>;

/** In-process by default; pass a Redis event target so several processes share events. */
export function createAppPubSub(eventTarget?: TypedEventTarget<CustomEvent>): AppPubSub {
  return createPubSub<PubSubTopics>(eventTarget ? { eventTarget: eventTarget as never } : undefined);
}

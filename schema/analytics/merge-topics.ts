// Several pubsub topics as one stream, in publication order, filtered and shaped as events
// arrive. A Repeater (not an async generator) so that a client unsubscribing detaches the
// listeners at once, even while no event is coming.
import { Repeater } from 'graphql-yoga';
import type { AppPubSub, PubSubTopics, Topic } from '../pubsub';

type Payload<K extends Topic> = PubSubTopics[K][0];

/** Merges `topics`; `pick` returns what to emit for an event, or null to drop it. */
export function mergeTopics<K extends Topic, T>(pubsub: AppPubSub, topics: readonly K[], pick: (topic: K, payload: Payload<K>) => T | null): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    const detach = pubsub.listen(topics, (topic, payload) => {
      const value = pick(topic, payload);
      if (value !== null) void push(value);
    });
    await stop;
    detach();
  });
}

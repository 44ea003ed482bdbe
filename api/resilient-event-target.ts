// The pubsub's event target when REDIS_URL is set: events go through Redis so every process
// sees them, and fall back to this process alone while Redis is unreachable.
//
// Not yoga's @graphql-yoga/redis-event-target (v3): it delivers only through Redis, so while
// Redis is down even this process's own events reach no subscriber. Its dispatchEvent fires
// publish() without awaiting or catching it: ioredis queues the command until Redis returns
// (stale events, late) or rejects it unhandled (offline queue off, or maxRetriesPerRequest spent).
//
// Subscribers always listen on a local target. While both Redis connections are up (mode
// "redis"), publishing goes to Redis and comes back to every process (this one included)
// through the subscriber connection. When either connection drops, or a publish fails, the
// target switches to mode "local": events are dispatched in this process only and a warning
// is logged once. ioredis keeps reconnecting in the background; when both connections are
// ready again and every channel is re-subscribed, mode returns to "redis" (logged), and
// `onModeChange` says whether an outage was reported before (the bridge then announces a
// resync: events other processes published meanwhile never arrived here).
// Queries and mutations never wait on Redis: no command is queued while it is down.
// `localTopics` never touch Redis: they are about this process only (schema/pubsub.ts).
import Redis from 'ioredis';
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { Logger } from '../core/logger';

export type PubSubMode = 'redis' | 'local';

export interface ResilientEventTarget extends TypedEventTarget<CustomEvent> {
  mode(): PubSubMode;
  close(): Promise<void>;
}

const CHANNEL_PREFIX = 'personae:events:';

/** Options for every Redis connection that must fail fast rather than queue (queries must not wait on it). */
export function failFastRedisOptions() {
  return {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Keep trying forever, at most every 2 s: Redis coming back must be noticed without a restart.
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/** Told of every mode change; `afterOutage`: Redis had been reported unreachable (at boot or since). */
export type ModeChangeHandler = (mode: PubSubMode, change: { afterOutage: boolean }) => void;

export function createResilientEventTarget(args: { url: string; log: Logger; localTopics?: readonly string[]; onModeChange?: ModeChangeHandler }): ResilientEventTarget {
  const { log } = args;
  const local = new EventTarget();
  const localOnly = new Set(args.localTopics ?? []);
  const pub = new Redis(args.url, { ...failFastRedisOptions(), connectionName: 'personae-pub' });
  const sub = new Redis(args.url, { ...failFastRedisOptions(), connectionName: 'personae-sub', autoResubscribe: false });
  const topics = new Map<string, number>();
  let subscribed = false;
  let current: PubSubMode = 'local';
  let everConnected = false;
  let warned = false;
  let closing = false;

  const warnDown = (why?: string) => {
    if (warned || closing) return;
    warned = true;
    log.warn({ reason: why }, 'Redis is unreachable: live events reach subscribers of this process only until it returns');
  };
  const setMode = (next: PubSubMode, why?: string) => {
    if (next === current) return;
    current = next;
    const afterOutage = warned;
    if (next === 'redis') {
      log.info(everConnected ? 'Redis is back: live events are shared across processes again' : 'live events are shared across processes through Redis');
      everConnected = true;
      warned = false;
    } else {
      warnDown(why);
    }
    args.onModeChange?.(next, { afterOutage: next === 'redis' && afterOutage });
  };
  const evaluate = (why?: string) => setMode(pub.status === 'ready' && sub.status === 'ready' && subscribed ? 'redis' : 'local', why);

  const dispatchLocal = (type: string, detail: unknown) => local.dispatchEvent(new CustomEvent(type, { detail }));

  // On every (re)connection, subscribe to the channels listened to now; only then is Redis usable.
  sub.on('ready', () => {
    subscribed = false;
    const channels = [...topics.keys()].map((t) => CHANNEL_PREFIX + t);
    const done = channels.length ? sub.subscribe(...channels) : Promise.resolve(0);
    done.then(
      () => {
        subscribed = true;
        evaluate();
      },
      (err: Error) => evaluate(err.message),
    );
  });
  pub.on('ready', () => evaluate());
  for (const client of [pub, sub]) {
    client.on('close', () => {
      if (client === sub) subscribed = false;
      evaluate('connection closed');
    });
    client.on('error', (err: Error) => {
      // ioredis reports every failed reconnect attempt; the mode change is the one line that matters
      // (and at boot, when no connection ever succeeded, the first failure).
      log.debug({ err: err.message }, 'redis connection error');
      if (current === 'local') warnDown(err.message);
    });
  }

  sub.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    let detail: unknown;
    try {
      detail = message === '' ? null : JSON.parse(message);
    } catch {
      log.warn({ channel }, 'ignored a malformed event from Redis');
      return;
    }
    dispatchLocal(channel.slice(CHANNEL_PREFIX.length), detail);
  });

  return {
    mode: () => current,
    addEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
      if (!listener) return;
      local.addEventListener(type, listener);
      if (localOnly.has(type)) return;
      const n = (topics.get(type) ?? 0) + 1;
      topics.set(type, n);
      if (n === 1 && sub.status === 'ready') sub.subscribe(CHANNEL_PREFIX + type).catch((err: Error) => evaluate(err.message));
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
      if (!listener) return;
      local.removeEventListener(type, listener);
      if (localOnly.has(type)) return;
      const n = (topics.get(type) ?? 0) - 1;
      if (n > 0) return void topics.set(type, n);
      topics.delete(type);
      if (sub.status === 'ready') sub.unsubscribe(CHANNEL_PREFIX + type).catch(() => {});
    },
    dispatchEvent(event: Event) {
      const { type, detail } = event as CustomEvent;
      if (current !== 'redis' || localOnly.has(type)) return dispatchLocal(type, detail);
      pub.publish(CHANNEL_PREFIX + type, detail === undefined ? '' : JSON.stringify(detail)).catch((err: Error) => {
        // Not published: deliver here at least, and stop using Redis until it is healthy again.
        setMode('local', err.message);
        dispatchLocal(type, detail);
      });
      return true;
    },
    async close() {
      closing = true;
      // quit() when connected; a client that is down has nothing to say goodbye to.
      await Promise.all([pub, sub].map((c) => c.quit().catch(() => c.disconnect())));
    },
  } as ResilientEventTarget;
}

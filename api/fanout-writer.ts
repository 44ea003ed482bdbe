// Writes the messages of live fan-outs (api/websocket.ts): a queue of subscriptions with a
// message waiting, written in slices of a few milliseconds that hand the event loop back in
// between, where a newer message of a latest-only subscription takes the place of one not yet
// written.
//
// Why slices: one update of a campaign watched by 1,000 sockets used to be written in one
// synchronous run (~25–35 ms of CPU here, longer when the cores are contended) during which
// this process read nothing: the next change's announcement waited behind it, then that
// change's read, then its own fan-out. In slices, the next announcement and read happen while
// the current fan-out is still being written.
//
// Why replacement: a subscription whose stream keeps only its newest value (campaignStats,
// schema/analytics/latest-value-stream.ts) needs at most one message waiting; when the next
// figures are ready before a socket's turn comes, that socket gets them instead of the stale
// ones followed by the new ones, in the stale message's place in the queue. A fan-out that
// overlaps the next update writes those sockets once, not twice. A stream whose every event
// counts (status changes) is written in order: its `next` resolves once the socket has taken
// the message, and the stream pulls its next event only then, as before this queue.
//
// A slow client: a socket whose earlier writes Node still buffers is skipped until it drains;
// its latest-only subscriptions keep their newest message meanwhile (stale figures are
// skipped, not queued).
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { rawSocket, sendText } from './websocket-text-frame';

/** The raw sink of one subscription (api/yoga-plugins/direct-subscription-stream.ts). */
export interface QueuedSink {
  /**
   * Queues one message whose payload is already JSON. `latestOnly`: replaces this
   * subscription's message not yet written, and resolves at once; otherwise resolves once the
   * socket has taken it (or the socket is gone), and rejects with the write's error.
   */
  next(payloadJson: string, latestOnly: boolean): Promise<void>;
  /** Resolves once nothing of this subscription waits to be written (written or dropped). */
  settled(): Promise<void>;
  /** Drops the message not yet written: the subscription ended, or its next result goes out another way. */
  drop(): void;
}

interface Slot {
  socket: WebSocket;
  frame: (payloadJson: string) => string;
  payload: string | null;
  /** Callbacks for when the waiting message is written or dropped. */
  waiters: ((err?: Error | null) => void)[];
  queued: boolean;
}

/** Slice length: short enough that a change announced mid-fan-out is read within a few ms. */
const DEFAULT_SLICE_MS = 4;

export class FanoutWriter {
  private queue: Slot[] = [];
  private scheduled = false;
  /** Slots whose socket is draining, by socket: one 'drain' listener each. */
  private draining = new WeakMap<Socket, Set<Slot>>();

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  /** Subscriptions with a message waiting for their turn. */
  get queued(): number {
    return this.queue.length;
  }

  /** A sink for one subscription on `socket`; `frame` wraps a payload into the protocol's message. */
  sink(socket: WebSocket, frame: (payloadJson: string) => string): QueuedSink {
    const slot: Slot = { socket, frame, payload: null, waiters: [], queued: false };
    return {
      next: (payloadJson, latestOnly) => {
        slot.payload = payloadJson;
        this.enqueue(slot);
        if (latestOnly) return Promise.resolve();
        return new Promise((resolve, reject) => slot.waiters.push((err) => (err ? reject(err) : resolve())));
      },
      settled: () => (slot.payload === null ? Promise.resolve() : new Promise((resolve) => slot.waiters.push(() => resolve()))),
      drop: () => clear(slot),
    };
  }

  private enqueue(slot: Slot): void {
    if (slot.queued) return;
    slot.queued = true;
    this.queue.push(slot);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    const end = performance.now() + this.sliceMs;
    let i = 0;
    while (i < this.queue.length) {
      const slot = this.queue[i++];
      slot.queued = false;
      this.write(slot);
      if (performance.now() >= end) break;
    }
    this.queue = i === this.queue.length ? [] : this.queue.slice(i);
    if (this.queue.length) this.schedule();
  };

  private write(slot: Slot): void {
    const payload = slot.payload;
    if (payload === null) return; // dropped while queued
    const { socket } = slot;
    if (socket.readyState !== socket.OPEN) return clear(slot);
    const raw = rawSocket(socket);
    if (raw && raw.writableLength > 0) return this.afterDrain(raw, slot);
    slot.payload = null;
    const waiters = takeWaiters(slot);
    sendText(socket, slot.frame(payload), (err) => waiters.forEach((w) => w(err)));
  }

  private afterDrain(raw: Socket, slot: Slot): void {
    let waiting = this.draining.get(raw);
    if (!waiting) {
      // A Set: a stuck client's slot comes back here with every newer message until it drains.
      this.draining.set(raw, (waiting = new Set()));
      raw.once('drain', () => {
        this.draining.delete(raw);
        for (const s of waiting!) if (s.payload !== null) this.enqueue(s);
      });
    }
    waiting.add(slot);
  }
}

function takeWaiters(slot: Slot): Slot['waiters'] {
  const waiters = slot.waiters;
  slot.waiters = [];
  return waiters;
}

/** Drops the slot's waiting message and tells whoever waits on it that nothing is waiting any more. */
function clear(slot: Slot): void {
  slot.payload = null;
  takeWaiters(slot).forEach((w) => w());
}

// The campaignStats feed's coalescing (a token bucket), with a fake clock: changes tick at once
// while a token is left (a burst after a lull), then changes fold into one tick per interval
// (bounded, the last change never lost), changes arriving together make one tick, another
// workspace's event is ignored, and every
// subscriber of a campaign gets the same tick object (what lets identical subscribers share
// one execution).
import { createAppPubSub, type AppPubSub } from '../../schema/pubsub';
import { DEFAULT_TICK_BURST, LiveStatsFeed, type StatsTick } from '../../schema/analytics/live-stats-feed';

const INTERVAL = 100;
let pubsub: AppPubSub;
let feed: LiveStatsFeed;

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: 1_000_000 });
  pubsub = createAppPubSub();
  feed = new LiveStatsFeed(pubsub, INTERVAL);
});
afterEach(() => jest.useRealTimers());

const flush = () => new Promise((r) => setImmediate(r));
const changed = (workspaceId: number, campaignId: number) => pubsub.publish('analytics.rollups.changed', { workspaceId, campaignIds: [campaignId] });

function collect(it: AsyncIterableIterator<StatsTick>): StatsTick[] {
  const out: StatsTick[] = [];
  void (async () => {
    for await (const t of it) out.push(t);
  })();
  return out;
}

test('changes tick at once while a token is left; then they fold into one tick when the next token comes', async () => {
  const ticks = collect(new LiveStatsFeed(pubsub, INTERVAL, 2).subscribe(1, 42));
  await flush();
  expect(ticks).toHaveLength(1); // the current figures

  jest.advanceTimersByTime(5_000); // a quiet spell: the bucket is full (2)
  changed(1, 42);
  await flush();
  expect(ticks).toHaveLength(2); // no wait
  jest.advanceTimersByTime(10);
  changed(1, 42);
  await flush();
  expect(ticks).toHaveLength(3); // the second token: no wait either

  for (let i = 0; i < 4; i++) {
    jest.advanceTimersByTime(10);
    changed(1, 42);
  }
  await flush();
  expect(ticks).toHaveLength(3); // bounded: no token left
  jest.advanceTimersByTime(INTERVAL - 50 - 1); // 10 ms of refill were spent: the next token is due at +100 ms
  await flush();
  expect(ticks).toHaveLength(3);
  jest.advanceTimersByTime(1);
  await flush();
  expect(ticks).toHaveLength(4); // one tick for the four changes
  jest.advanceTimersByTime(10 * INTERVAL);
  await flush();
  expect(ticks).toHaveLength(4);
});

test('changes arriving together (one synchronous run, as Redis hands over one read) make one tick and spend one token', async () => {
  const ticks = collect(new LiveStatsFeed(pubsub, INTERVAL, 2).subscribe(1, 46));
  await flush();
  jest.advanceTimersByTime(5_000); // the bucket is full (2)
  changed(1, 46);
  changed(1, 46);
  changed(1, 46);
  expect(ticks).toHaveLength(1); // handed out when the run ends, not during it
  await flush();
  expect(ticks).toHaveLength(2); // one tick for the three
  changed(1, 46); // a later run: the second token is still there
  await flush();
  expect(ticks).toHaveLength(3);
  changed(1, 46); // no token left now: it waits
  await flush();
  expect(ticks).toHaveLength(3);
  jest.advanceTimersByTime(INTERVAL);
  await flush();
  expect(ticks).toHaveLength(4);
});

test('a campaign changing continuously gets at most one tick per interval after the burst, and its last change a tick', async () => {
  const ticks = collect(feed.subscribe(1, 45));
  await flush();
  jest.advanceTimersByTime(5_000);
  for (let i = 0; i < 100; i++) {
    changed(1, 45);
    jest.advanceTimersByTime(10); // 100 changes a second for a second
    await flush();
  }
  const duringTheSecond = ticks.length - 1;
  expect(duringTheSecond).toBeGreaterThanOrEqual(10);
  expect(duringTheSecond).toBeLessThanOrEqual(DEFAULT_TICK_BURST + 10); // the burst, then one per 100 ms
  changed(1, 45);
  const before = ticks.length;
  jest.advanceTimersByTime(INTERVAL);
  await flush();
  expect(ticks.length).toBe(before + 1); // the last change is not lost
});

test('another workspace\'s event naming the same campaign id does not tick', async () => {
  const ticks = collect(feed.subscribe(1, 43));
  await flush();
  jest.advanceTimersByTime(5_000);
  changed(2, 43);
  jest.advanceTimersByTime(5_000);
  await flush();
  expect(ticks).toHaveLength(1);
});

test('every subscriber gets the same tick object; leaving detaches', async () => {
  const first = feed.subscribe(1, 44);
  const second = feed.subscribe(1, 44);
  const [a, b] = [collect(first), collect(second)];
  await flush();
  jest.advanceTimersByTime(5_000);
  changed(1, 44);
  await flush();
  expect(a[1]).toBe(b[1]);
  expect(a[0]).not.toBe(b[0]); // initial figures are each subscriber's own

  await first.return!();
  expect(feed.campaignCount).toBe(1);
  await second.return!();
  expect(feed.campaignCount).toBe(0);
});

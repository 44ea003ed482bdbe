// The campaignStats feed's coalescing, with a fake clock: an isolated change ticks at once
// (leading edge), changes within the interval fold into one tick at its end (bounded, the
// last change never lost), another workspace's event is ignored, and every subscriber of a
// campaign gets the same tick object (what lets identical subscribers share one execution).
import { createAppPubSub, type AppPubSub } from '../../schema/pubsub';
import { LiveStatsFeed, type StatsTick } from '../../schema/analytics/live-stats-feed';

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

test('an isolated change ticks at once; changes within the interval fold into one tick at its end', async () => {
  const ticks = collect(feed.subscribe(1, 42));
  await flush();
  expect(ticks).toHaveLength(1); // the current figures

  jest.advanceTimersByTime(5_000); // a quiet spell
  changed(1, 42);
  await flush();
  expect(ticks).toHaveLength(2); // leading edge: no wait

  for (let i = 0; i < 5; i++) {
    jest.advanceTimersByTime(10);
    changed(1, 42);
  }
  await flush();
  expect(ticks).toHaveLength(2); // bounded: nothing before the interval ends
  jest.advanceTimersByTime(INTERVAL);
  await flush();
  expect(ticks).toHaveLength(3); // one tick for the five changes
  jest.advanceTimersByTime(10 * INTERVAL);
  await flush();
  expect(ticks).toHaveLength(3);
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

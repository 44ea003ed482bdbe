// The response cache's store (api/yoga-plugins/workspace-response-cache.ts): dropping a
// workspace forgets its entries of every key scope and no other workspace's, and a result
// computed across a drop of its workspace is reported stale (so it is not stored), and a stored
// result is serialised once however often it is served.
import { WorkspaceResponseCache } from '../../api/yoga-plugins/workspace-response-cache';

const result = (n: number) => ({ data: { n } });

test('dropping a workspace forgets its entries, whatever their scope, and only its own', async () => {
  const cache = new WorkspaceResponseCache();
  await cache.set('7:ADMIN|a', result(1), [], 60_000);
  await cache.set('7:READ|a', result(2), [{ typename: 'CampaignSummary', id: 'x' }], 60_000);
  await cache.set('70:ADMIN|a', result(3), [], 60_000);
  cache.dropWorkspace(7);
  expect(await cache.get('7:ADMIN|a')).toBeNull();
  expect(await cache.get('7:READ|a')).toBeNull();
  expect(await cache.get('70:ADMIN|a')).toMatchObject(result(3));
});

test('a result whose execution overlapped a drop of its workspace is stale', () => {
  const cache = new WorkspaceResponseCache();
  const before = cache.mark(7);
  const otherBefore = cache.mark(8);
  cache.dropWorkspace(7);
  expect(cache.changedSince(before)).toBe(true);
  expect(cache.changedSince(otherBefore)).toBe(false);
  expect(cache.changedSince(cache.mark(7))).toBe(false);
});

test('a stored result is serialised once for every hit; a copy with other extensions is serialised as usual', async () => {
  const cache = new WorkspaceResponseCache();
  let reads = 0;
  const data = { get sent() { return ++reads, 4; } };
  // The plugin stores its ETag headers in extensions.http, which yoga takes out before serialising.
  await cache.set('7:ADMIN|a', { data, extensions: { http: { headers: { ETag: 'x' } } } }, [], 60_000);
  // What yoga serialises on a hit: the plugin's copy, without extensions.http, with the result's own stringify.
  const hit = async () => {
    const { extensions, ...rest } = (await cache.get('7:ADMIN|a'))! as { extensions?: Record<string, unknown> };
    const { http, ...others } = extensions ?? {};
    void http;
    return { ...rest, extensions: Object.keys(others).length ? others : undefined } as unknown as { stringify(v: unknown): string };
  };
  const [first, second] = [await hit(), await hit()];
  expect(first.stringify(first)).toBe('{"data":{"sent":4}}');
  expect(second.stringify(second)).toBe('{"data":{"sent":4}}');
  expect(reads).toBe(1);
  const withMetadata = { ...second, extensions: { responseCache: { hit: true } } };
  expect(second.stringify(withMetadata)).toBe('{"data":{"sent":4},"extensions":{"responseCache":{"hit":true}}}');
  expect(reads).toBe(2);
});

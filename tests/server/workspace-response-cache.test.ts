// The response cache's store (api/yoga-plugins/workspace-response-cache.ts): dropping a
// workspace forgets its entries of every key scope and no other workspace's, and a result
// computed across a drop of its workspace is reported stale (so it is not stored).
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
  expect(await cache.get('70:ADMIN|a')).toEqual(result(3));
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

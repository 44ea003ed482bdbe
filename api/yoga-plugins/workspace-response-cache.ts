// The store behind use-analytics-response-cache.ts: the response-cache plugin's in-memory LRU
// (TTL, entity index) with two additions it has no notion of.
// - Every entry is tagged with its workspace (read from the key, which starts with it), so a
//   change can drop all of one workspace's entries and none of another's.
// - A version counter, so a response computed while its workspace changed is not stored: a
//   request notes `version` before it executes, and `changedSince` tells whether a drop of its
//   workspace happened in the meantime (the drop found nothing to delete then, and the result
//   it is about to store may hold figures read before the change).
import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';

/** An entity no GraphQL type is named after: it only groups a workspace's entries. */
const WORKSPACE_TAG = 'AnalyticsWorkspace';

/** Cache keys start with the scope ("<workspace id>:<key scope>"), then `|`. */
export const cacheKeyOf = (scope: string, hash: string) => `${scope}|${hash}`;
const workspaceOfKey = (key: string) => key.slice(0, key.indexOf(':'));

export interface ExecutionMark {
  workspaceId: number;
  version: number;
}

export class WorkspaceResponseCache implements Cache {
  private readonly inner: Cache;
  private version = 0;
  /** The version at which each workspace was last dropped (bounded by the number of workspaces). */
  private readonly droppedAt = new Map<number, number>();

  /** `max` entries at most (least recently used go first); a dashboard response is tens of kB. */
  /** `onHit`: told when a lookup finds an entry (misses are looked up more than once per request, so the plugin counts those where it executes). */
  constructor(max = 1000, private readonly onHit?: () => void) {
    this.inner = createInMemoryCache({ max });
  }

  get(key: string) {
    const found = this.inner.get(key); // the in-memory store answers synchronously
    if (found != null && !(found instanceof Promise)) this.onHit?.();
    return found;
  }

  set(key: string, result: Parameters<Cache['set']>[1], entities: Parameters<Cache['set']>[2], ttl: number) {
    return this.inner.set(key, result, [...entities, { typename: WORKSPACE_TAG, id: workspaceOfKey(key) }], ttl);
  }

  invalidate(entities: Parameters<Cache['invalidate']>[0]) {
    return this.inner.invalidate(entities);
  }

  /** Forgets every response of the workspace. */
  dropWorkspace(workspaceId: number): void {
    this.droppedAt.set(workspaceId, ++this.version);
    void this.inner.invalidate([{ typename: WORKSPACE_TAG, id: String(workspaceId) }]);
  }

  /** Taken before a request executes, for `changedSince`. */
  mark(workspaceId: number): ExecutionMark {
    return { workspaceId, version: this.version };
  }

  /** Whether the workspace was dropped after `mark` (its result may be stale: do not store it). */
  changedSince(mark: ExecutionMark): boolean {
    return (this.droppedAt.get(mark.workspaceId) ?? -1) > mark.version;
  }
}

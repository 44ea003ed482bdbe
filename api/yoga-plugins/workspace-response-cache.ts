// The store behind use-analytics-response-cache.ts: the response-cache plugin's in-memory LRU
// (TTL, entity index) with two additions it has no notion of.
// - Every entry is tagged with its workspace (read from the key, which starts with it), so a
//   change can drop all of one workspace's entries and none of another's.
// - A version counter, so a response computed while its workspace changed is not stored: a
//   request notes `version` before it executes, and `changedSince` tells whether a drop of its
//   workspace happened in the meantime (the drop found nothing to delete then, and the result
//   it is about to store may hold figures read before the change).
// - Each stored result is serialised once, not once per hit (serialisedOnce).
import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';

/** An entity no GraphQL type is named after: it only groups a workspace's entries. */
const WORKSPACE_TAG = 'AnalyticsWorkspace';

/** Cache keys start with the scope ("<workspace id>:<key scope>"), then `|`. */
export const cacheKeyOf = (scope: string, hash: string) => `${scope}|${hash}`;
const workspaceOfKey = (key: string) => key.slice(0, key.indexOf(':'));

type StoredResult = Parameters<Cache['set']>[1] & { stringify?: (value: unknown) => string };

/**
 * The result with a `stringify` that returns its JSON made once. Yoga serialises every hit
 * again, and a dashboard page is ~40 kB of JSON: measured, a quarter of the API process's CPU
 * at 1,151 hits a second (0.19 ms each). Yoga serialises a result with its own `stringify` when
 * it has one (graphql-jit's results carry theirs, used here for the first serialisation), after
 * taking its internal `extensions.http` out (the plugin stores ETag headers there). So the JSON
 * is reused only for what every hit serialises: the stored data and errors with no extensions
 * left. Anything else — development mode's copy with cache metadata in `extensions` — is
 * serialised as usual.
 */
function serialisedOnce(result: StoredResult): StoredResult {
  const stringify = result.stringify ?? JSON.stringify;
  let json: string | undefined;
  return {
    ...result,
    stringify: (value: unknown) => {
      const v = value as StoredResult;
      const asStored = v.data === result.data && v.errors === result.errors && v.extensions === undefined;
      return asStored ? (json ??= stringify(value)) : stringify(value);
    },
  };
}

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
    return this.inner.set(key, serialisedOnce(result), [...entities, { typename: WORKSPACE_TAG, id: workspaceOfKey(key) }], ttl);
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

import type { CoreContext } from '../../core/context';
import { UnauthenticatedError } from '../../core/errors';
import { checkApiKey, type AuthenticatedKey, type KeyCheck } from '../../core/workspaces/api-keys';

// A verified key is remembered briefly so a busy client does not cost a lookup per request.
// Revocation is seen at once in the revoking process (forget()) and within CACHE_MS elsewhere.
// Concurrent misses for one key share one lookup: a wave of WebSocket connections (a dashboard
// fleet reconnecting after a restart) otherwise cost one SELECT per connection, and each saw
// the same stale lastUsedAt and wrote it again, all on one row (bench/live: 100 such UPDATEs,
// 22 ms each in MariaDB's log, for 1,000 subscribers connecting in waves of 100).
const CACHE_MS = 2000;
const MAX_CACHED = 10_000;

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { key: AuthenticatedKey; until: number }>();
  private readonly inFlight = new Map<string, Promise<KeyCheck>>();
  /** Bumped by forgetKey: a lookup that began before a revocation is not cached. */
  private generation = 0;

  constructor(private readonly core: CoreContext) {}

  /** The key presented in `Authorization` (Bearer, or Basic with the key as user name, as Segment sends it). */
  static presented(authorization: string | null | undefined): string | null {
    if (!authorization) return null;
    const [scheme, value] = authorization.trim().split(/\s+/, 2);
    if (!value) return null;
    if (/^bearer$/i.test(scheme)) return value;
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded.split(':')[0] || null;
    }
    return null;
  }

  /** Null when no key is presented; throws UNAUTHENTICATED for an unknown, revoked or expired key. */
  async authenticate(authorization: string | null | undefined): Promise<AuthenticatedKey | null> {
    const secret = ApiKeyAuthenticator.presented(authorization);
    if (!secret) {
      if (authorization) throw new UnauthenticatedError('unsupported Authorization header: use "Bearer <key>"');
      return null;
    }
    const hit = this.cache.get(secret);
    if (hit && hit.until > Date.now()) return hit.key;
    const generation = this.generation;
    const check = await this.check(secret);
    if (!check.ok) {
      this.cache.delete(secret);
      throw new UnauthenticatedError(check.reason === 'unknown' ? 'invalid API key' : `this API key is ${check.reason}`);
    }
    if (generation !== this.generation) return check.key;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(secret, { key: check.key, until: Date.now() + CACHE_MS });
    return check.key;
  }

  private check(secret: string): Promise<KeyCheck> {
    let pending = this.inFlight.get(secret);
    if (!pending) {
      pending = checkApiKey(this.core, secret).finally(() => this.inFlight.delete(secret));
      this.inFlight.set(secret, pending);
    }
    return pending;
  }

  /** Drops cached entries of a revoked key in this process. */
  forgetKey(keyId: number): void {
    this.generation++;
    // A lookup already under way may have read the key before it was revoked: later requests start their own.
    this.inFlight.clear();
    for (const [secret, v] of this.cache) if (v.key.keyId === keyId) this.cache.delete(secret);
  }
}

import type { CoreContext } from '../../core/context';
import { UnauthenticatedError } from '../../core/errors';
import { checkApiKey, type AuthenticatedKey } from '../../core/workspaces/api-keys';

// A verified key is remembered briefly so a busy client does not cost a lookup per request.
// Revocation is seen at once in the revoking process (forget()) and within CACHE_MS elsewhere.
const CACHE_MS = 2000;
const MAX_CACHED = 10_000;

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { key: AuthenticatedKey; until: number }>();

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
    const check = await checkApiKey(this.core, secret);
    if (!check.ok) {
      this.cache.delete(secret);
      throw new UnauthenticatedError(check.reason === 'unknown' ? 'invalid API key' : `this API key is ${check.reason}`);
    }
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(secret, { key: check.key, until: Date.now() + CACHE_MS });
    return check.key;
  }

  /** Drops cached entries of a revoked key in this process. */
  forgetKey(keyId: number): void {
    for (const [secret, v] of this.cache) if (v.key.keyId === keyId) this.cache.delete(secret);
  }
}

import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../core/errors';

/**
 * Requests per minute per API key. With Redis the budget is shared by every API process;
 * if Redis fails, each process falls back to its own in-memory budget rather than refusing.
 */
export class ApiRateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(opts: { perMinute: number; redis?: Redis | null }) {
    const memory = new RateLimiterMemory({ points: opts.perMinute, duration: 60, keyPrefix: 'rl' });
    this.limiter = opts.redis
      ? new RateLimiterRedis({ storeClient: opts.redis, points: opts.perMinute, duration: 60, keyPrefix: 'personae:rl', insuranceLimiter: memory })
      : memory;
  }

  /** Spends `cost` points of the key's budget or throws RATE_LIMITED with the wait. */
  async consume(keyId: number, cost = 1): Promise<void> {
    try {
      await this.limiter.consume(String(keyId), cost);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw new RateLimitedError(res.msBeforeNext);
      throw res;
    }
  }
}

// Retry timing for messages a provider could not take right now (429, 5xx, timeouts).

export interface BackoffPolicy {
  /** Delay bound for the first retry; it doubles with each attempt. */
  baseMs: number;
  /** Longest delay between two attempts (a provider's Retry-After may ask for more). */
  maxMs: number;
  /** Sends handed to the provider before a message is given up as FAILED. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 3_600_000, maxAttempts: 8 };

/**
 * Exponential backoff with "equal jitter": a delay between half and all of base·2^(n-1), so
 * a provider outage does not end with every worker retrying in the same instant, yet no
 * retry comes back immediately. A provider's Retry-After is a floor: we never return
 * earlier than asked, and add a little jitter on top so waiting workers spread out.
 */
export function retryDelayMs(policy: BackoffPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const bound = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    return Math.round(retryAfterMs + random() * Math.min(policy.baseMs, retryAfterMs) * 0.5);
  }
  return Math.round(bound / 2 + (random() * bound) / 2);
}

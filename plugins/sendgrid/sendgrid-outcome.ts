// What a SendGrid response means for the messages of a request: accepted, try again later
// (with the Retry-After SendGrid asked for), or refused for good with SendGrid's own words.
// The worker owns retries and backoff; this only classifies.
import type { SendOutcome } from '../sdk';

interface ErrorLike {
  code?: number | string;
  message?: string;
  response?: { headers?: Record<string, unknown>; body?: unknown };
}

/** Classifies a failed request (an HTTP error status or a network/timeout error). */
export function outcomeOfError(err: unknown, now = Date.now()): SendOutcome {
  const e = err as ErrorLike;
  const status = typeof e?.code === 'number' ? e.code : undefined;
  if (status === undefined) {
    // No HTTP answer: refused connection, reset, DNS, or our timeout. The request may have
    // reached SendGrid (a timeout is ambiguous), but losing the message would be worse.
    return { status: 'retryable', reason: `SendGrid unreachable: ${e?.message ?? String(err)}` };
  }
  const reason = `SendGrid ${status}: ${errorMessages(e.response?.body) || e.message || 'no details'}`;
  if (status === 429) return { status: 'retryable', reason, retryAfterMs: retryAfterMs(e.response?.headers ?? {}, now) };
  if (status >= 500) return { status: 'retryable', reason };
  // A revoked key or missing permission is the account's problem, not the message's: keep the
  // messages and let the worker's circuit breaker pause the campaign with this reason.
  if (status === 401 || status === 403) return { status: 'retryable', reason };
  return { status: 'rejected', reason };
}

/** Milliseconds from Retry-After (seconds or HTTP date), else X-RateLimit-Reset (epoch seconds). */
export function retryAfterMs(headers: Record<string, unknown>, now = Date.now()): number | undefined {
  const get = (name: string) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const v = key ? headers[key] : undefined;
    return Array.isArray(v) ? String(v[0]) : v === undefined || v === null ? undefined : String(v);
  };
  const after = get('retry-after');
  if (after !== undefined) {
    if (/^\d+(\.\d+)?$/.test(after.trim())) return Math.round(Number(after) * 1000);
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = get('x-ratelimit-reset');
  if (reset !== undefined && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}

/** SendGrid's `{ errors: [{ message, field }] }`, joined. */
export function errorMessages(body: unknown): string {
  const errors = (body as { errors?: { message?: string; field?: string | null }[] })?.errors;
  if (!Array.isArray(errors)) return typeof body === 'string' ? body.slice(0, 500) : '';
  return errors
    .map((x) => (x.field ? `${x.field}: ${x.message}` : String(x.message)))
    .join('; ')
    .slice(0, 1000);
}

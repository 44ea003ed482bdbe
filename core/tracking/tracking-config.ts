// Where contacts' mail clients reach the tracking and unsubscribe routes (PUBLIC_URL). Set
// by the process at start (api/app.ts, api/workers); core reads it when building links.
const baseUrls = new WeakMap<object, string>();

/** Records the public base URL for this core's process. */
export function setTrackingBaseUrl(core: { db: object }, url: string): void {
  baseUrls.set(core.db, url.replace(/\/$/, ''));
}

/** The public base URL, or undefined when the process did not set one. */
export function trackingBaseUrl(core: { db: object }): string | undefined {
  return baseUrls.get(core.db);
}

// Opens and clicks made by machines rather than people. Apple Mail Privacy Protection
// fetches every image of a message through Apple's proxies as soon as it reaches the device
// (bare "Mozilla/5.0" user agent, Apple's 17.0.0.0/8 network); link scanners of mail
// security gateways fetch pixels and links within seconds of delivery. These are recorded
// but flagged (`message_events.machine`), so analytics and A/B tests can leave them out.

const SCANNER_UA = /\b(bot|crawler|spider|scanner|prefetch|preview|headless|python-requests|curl|wget|go-http-client|barracuda|mimecast|proofpoint|symantec|messagelabs|trendmicro|forcepoint)\b/i;
/** Faster than any person opens or clicks after the message left. */
const PREFETCH_WINDOW_MS = 2_000;

export interface FetchMeta {
  userAgent: string | null;
  ip: string | null;
  /** When the message was sent (null when unknown). */
  sentAt: Date | null;
  at: Date;
  method?: string;
}

/** True when the request looks machine-generated (see the module comment for the signals). */
export function isMachineFetch(meta: FetchMeta): boolean {
  const ua = (meta.userAgent ?? '').trim();
  if (ua === 'Mozilla/5.0') return true; // Apple MPP proxy
  if (!ua || SCANNER_UA.test(ua)) return true;
  if (meta.ip && /^17\./.test(meta.ip)) return true; // Apple's network
  if (meta.method === 'HEAD') return true;
  return !!meta.sentAt && meta.at.getTime() - meta.sentAt.getTime() < PREFETCH_WINDOW_MS;
}

/** The client address from X-Forwarded-For (first hop) or X-Real-IP, when a proxy sets them. */
export function clientIp(headers: Headers): string | null {
  const xff = headers.get('x-forwarded-for');
  if (xff) return xff.split(',')[0].trim() || null;
  return headers.get('x-real-ip');
}

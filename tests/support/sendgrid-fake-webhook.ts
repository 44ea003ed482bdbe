// SendGrid's Signed Event Webhook, for the fake: an ECDSA P-256 key pair (the public key in
// the base64 DER form SendGrid's settings page shows), events shaped like SendGrid's, and
// requests signed over `timestamp + body` in X-Twilio-Email-Event-Webhook-Signature.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AcceptedMessage } from './sendgrid-fake';

export type SgEventType =
  | 'processed' | 'delivered' | 'deferred' | 'bounce' | 'blocked' | 'dropped'
  | 'open' | 'machine_open' | 'click' | 'spamreport' | 'unsubscribe' | 'group_unsubscribe';

export type SgWebhookEvent = Record<string, unknown> & { event: string; email: string; timestamp: number; sg_event_id: string; sg_message_id: string };

export const SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

export class SendGridWebhookSigner {
  private readonly privateKey: KeyObject;
  /** The verification key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo. */
  readonly publicKey: string;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  }

  /** A signed webhook POST: the exact body text and its headers. */
  signedRequest(events: unknown[], opts: { timestamp?: number } = {}): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(events);
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = sign('sha256', Buffer.from(timestamp + body, 'utf8'), this.privateKey).toString('base64');
    return { body, headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp } };
  }

  /** Posts signed events to `url` (e.g. the app's webhook route). */
  async post(url: string, events: unknown[], opts: { timestamp?: number; tamper?: (body: string) => string } = {}): Promise<Response> {
    const req = this.signedRequest(events, opts);
    return fetch(url, { method: 'POST', headers: req.headers, body: opts.tamper ? opts.tamper(req.body) : req.body });
  }

  /** An event for an accepted message, shaped like SendGrid's (custom args appear as top-level keys). */
  eventFor(m: AcceptedMessage, type: SgEventType, extra: Record<string, unknown> = {}): SgWebhookEvent {
    const base: SgWebhookEvent = {
      email: m.to.email,
      timestamp: Math.floor(Date.now() / 1000),
      'smtp-id': `<${m.xMessageId}@geopod-ismtpd-1>`,
      event: type === 'blocked' ? 'bounce' : type === 'machine_open' ? 'open' : type,
      category: m.categories,
      sg_event_id: randomBytes(16).toString('base64url').slice(0, 22),
      sg_message_id: `${m.xMessageId}.filterdrecv-${createHash('sha1').update(m.xMessageId).digest('hex').slice(0, 10)}-1-6600B0A1-${m.index}.0`,
      ...m.customArgs,
    };
    const specific: Record<SgEventType, Record<string, unknown>> = {
      processed: {},
      delivered: { response: '250 2.0.0 OK', ip: '167.89.0.1', tls: 1 },
      deferred: { response: '451 4.7.1 Try again later', attempt: '2', ip: '167.89.0.1' },
      bounce: { type: 'bounce', status: '5.1.1', reason: '550 5.1.1 The email account that you tried to reach does not exist', bounce_classification: 'Invalid Address' },
      blocked: { type: 'blocked', status: '4.0.0', reason: '421 4.7.0 Temporarily rate limited', bounce_classification: 'Frequency or Volume' },
      dropped: { reason: 'Bounced Address', status: '5.0.0' },
      open: { useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', ip: '203.0.113.9', sg_machine_open: false },
      machine_open: { useragent: 'Mozilla/5.0', ip: '17.58.0.1', sg_machine_open: true },
      click: { useragent: 'Mozilla/5.0', ip: '203.0.113.9', url: 'https://shop.example/', url_offset: { index: 0, type: 'html' } },
      spamreport: {},
      unsubscribe: {},
      group_unsubscribe: { asm_group_id: 1 },
    };
    return { ...base, ...specific[type], ...extra } as SgWebhookEvent;
  }
}

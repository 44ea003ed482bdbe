// SendGrid's event webhook: verify the Signed Event Webhook signature (ECDSA P-256 over
// `timestamp + raw body`, key in base64 DER SPKI), then normalise each event to ProviderEvent.
// Any doubt about authenticity throws; the webhook route answers 4xx and applies nothing.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { ProviderEvent, ProviderEventType } from '../sdk';
import { MESSAGE_ID_ARG, type SendGridConfig } from './sendgrid.config';

export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** The request is not a genuine SendGrid webhook (or cannot be checked). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

const EVENT_TYPES: Record<string, ProviderEventType> = {
  delivered: 'delivered',
  bounce: 'bounce',
  dropped: 'dropped',
  deferred: 'deferred',
  open: 'open',
  click: 'click',
  spamreport: 'spamreport',
  unsubscribe: 'unsubscribe',
  group_unsubscribe: 'unsubscribe',
};

const keys = new Map<string, KeyObject>();

function publicKey(base64: string): KeyObject {
  let key = keys.get(base64);
  if (!key) {
    try {
      key = createPublicKey({ key: Buffer.from(base64.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new WebhookVerificationError('the configured webhookPublicKey is not a valid ECDSA public key');
    }
    if (keys.size > 100) keys.clear();
    keys.set(base64, key);
  }
  return key;
}

/** Verifies and normalises one webhook request. Events we do not track (processed, resubscribes) are skipped. */
export async function parseSendGridWebhook(args: { config: SendGridConfig; headers: Headers; rawBody: string; now?: number }): Promise<ProviderEvent[]> {
  const { config, headers, rawBody } = args;
  if (!config.webhookPublicKey) throw new WebhookVerificationError('no webhookPublicKey is configured: unsigned SendGrid webhooks are refused');
  const signature = headers.get(SIGNATURE_HEADER);
  const timestamp = headers.get(TIMESTAMP_HEADER);
  if (!signature || !timestamp) throw new WebhookVerificationError('the request is not signed (missing signature or timestamp header)');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('the signature timestamp is malformed');

  const genuine = verify('sha256', Buffer.from(timestamp + rawBody, 'utf8'), publicKey(config.webhookPublicKey), Buffer.from(signature, 'base64'));
  if (!genuine) throw new WebhookVerificationError('the signature does not match');
  const ageSeconds = (args.now ?? Date.now()) / 1000 - Number(timestamp);
  if (config.webhookMaxAgeSeconds > 0 && Math.abs(ageSeconds) > config.webhookMaxAgeSeconds) {
    throw new WebhookVerificationError(`the request was signed ${Math.round(ageSeconds)} s ago (limit ${config.webhookMaxAgeSeconds} s)`);
  }

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new WebhookVerificationError('the body is not JSON');
  }
  if (!Array.isArray(body)) throw new WebhookVerificationError('the body is not an array of events');
  return body.flatMap((raw) => {
    const event = normalise(raw);
    return event ? [event] : [];
  });
}

function normalise(raw: unknown): ProviderEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const e = raw as Record<string, unknown>;
  const type = EVENT_TYPES[String(e.event)];
  if (!type || typeof e.timestamp !== 'number') return null;
  const str = (v: unknown) => (typeof v === 'string' && v.length ? v : undefined);
  const out: ProviderEvent = {
    providerEventId: str(e.sg_event_id) ?? createHash('sha256').update(JSON.stringify(e)).digest('base64url').slice(0, 32),
    type,
    occurredAt: new Date(e.timestamp * 1000),
  };
  const messageId = str(e[MESSAGE_ID_ARG]);
  if (messageId) out.messageId = messageId;
  const sgMessageId = str(e.sg_message_id);
  // sg_message_id is the X-Message-Id of the send, then ".filter…" routing details.
  if (sgMessageId) out.providerMessageId = sgMessageId.split('.filter')[0];
  const email = str(e.email);
  if (email) out.email = email;
  if (type === 'bounce') {
    // "blocked" is SendGrid's temporary refusal (soft); "bounce" is permanent (hard).
    out.bounceClass = e.type === 'blocked' ? 'soft' : 'hard';
    out.reason = str(e.reason) ?? str(e.status);
  } else if (type === 'dropped') {
    out.reason = str(e.reason);
  } else if (type === 'deferred') {
    out.reason = str(e.response) ?? str(e.reason);
  } else if (type === 'click') {
    out.url = str(e.url);
  } else if (type === 'open') {
    out.machineOpen = e.sg_machine_open === true;
  }
  if (out.reason) out.reason = out.reason.slice(0, 1000);
  return out;
}

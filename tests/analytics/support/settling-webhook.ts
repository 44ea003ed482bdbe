// A provider webhook that settles messages whose acceptance we may not have heard of, shared by
// the test of the settling rules (settled-uncertain.test.ts) and the test of the migration that
// repairs rows written before them (tests/migrations/settle-upgrade.test.ts).
import type { MessageEventInput } from '../../../core/delivery/message-events';

export const at = (iso: string) => new Date(iso);

/** One webhook event; `key` makes its dedupe key, so sending it again is a replay. */
export const webhookEvent = (id: string, type: MessageEventInput['type'], iso: string, key: string, extra: Partial<MessageEventInput> = {}): MessageEventInput => ({
  messageId: BigInt(id), type, occurredAt: at(iso), source: 'webhook:test', dedupeKey: `test:${key}`, ...extra,
});

/**
 * Events for seven messages, set up by the caller as m1–m4 UNCERTAIN and m5–m7 SENT at 10:00:
 * delivered; hard bounce; an open reported after the click that came first; dropped twice;
 * soft bounce then dropped; dropped (a test may bounce it later); delivered.
 */
export function settlingWebhook([m1, m2, m3, m4, m5, m6, m7]: string[]): MessageEventInput[] {
  return [
    webhookEvent(m1, 'delivered', '2026-03-01T12:10:00Z', '1d'),
    webhookEvent(m2, 'bounce', '2026-03-01T12:20:00Z', '2b', { bounceClass: 'hard' }),
    webhookEvent(m3, 'open', '2026-03-01T13:05:00Z', '3o'),
    webhookEvent(m3, 'click', '2026-03-01T12:58:00Z', '3c', { url: 'https://shop.example/a' }), // reported late, happened first
    webhookEvent(m4, 'dropped', '2026-03-01T12:30:00Z', '4x1'),
    webhookEvent(m4, 'dropped', '2026-03-01T12:31:00Z', '4x2'),
    webhookEvent(m5, 'bounce', '2026-03-01T10:05:00Z', '5b', { bounceClass: 'soft' }),
    webhookEvent(m5, 'dropped', '2026-03-01T10:06:00Z', '5x'),
    webhookEvent(m6, 'dropped', '2026-03-01T10:05:00Z', '6x'),
    webhookEvent(m7, 'delivered', '2026-03-01T10:05:00Z', '7d'),
  ];
}

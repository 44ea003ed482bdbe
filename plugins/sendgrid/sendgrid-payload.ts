// Turns outgoing messages into v3 mail/send requests. Messages whose content is identical
// (same sender, reply-to, HTML, text and categories: typically untracked transactional or
// seed sends) share one request with one personalization each, up to SendGrid's 1,000;
// personalised content (tracked links differ per recipient) needs one request per message.
import { createHash } from 'node:crypto';
import type { OutgoingEmail } from '../sdk';
import { MESSAGE_ID_ARG, type SendGridConfig } from './sendgrid.config';

/** The @sendgrid/mail data for one request and the batch positions it carries. */
export interface PlannedRequest {
  data: Record<string, unknown>;
  indexes: number[];
}

const MAX_PERSONALIZATIONS = 1000;

export function planRequests(messages: OutgoingEmail[], config: SendGridConfig): PlannedRequest[] {
  const groups = new Map<string, number[]>();
  messages.forEach((m, i) => {
    const key = contentKey(m);
    const group = groups.get(key);
    if (group && group.length < MAX_PERSONALIZATIONS) group.push(i);
    else groups.set(group ? `${key}#${i}` : key, [i]);
  });
  return [...groups.values()].map((indexes) => ({ indexes, data: requestData(indexes.map((i) => messages[i]), config) }));
}

function requestData(group: OutgoingEmail[], config: SendGridConfig): Record<string, unknown> {
  const first = group[0];
  const content = [
    ...(first.text ? [{ type: 'text/plain', value: first.text }] : []),
    ...(first.html ? [{ type: 'text/html', value: first.html }] : []),
  ];
  return {
    personalizations: group.map((m) => ({
      to: [address(m.to)],
      subject: m.subject,
      ...(Object.keys(m.headers).length ? { headers: m.headers } : {}),
      customArgs: { ...(m.customArgs ?? {}), [MESSAGE_ID_ARG]: m.messageId },
    })),
    from: address(first.from),
    ...(first.replyTo ? { replyTo: address(first.replyTo) } : {}),
    content,
    ...(first.categories?.length ? { categories: first.categories } : {}),
    // Personae tracks opens and clicks itself: SendGrid must not rewrite links or add a pixel.
    trackingSettings: {
      clickTracking: { enable: false, enableText: false },
      openTracking: { enable: false },
      subscriptionTracking: { enable: false },
    },
    ...(config.sandboxMode ? { mailSettings: { sandboxMode: { enable: true } } } : {}),
    ...(config.ipPoolName ? { ipPoolName: config.ipPoolName } : {}),
    hideWarnings: true,
  };
}

/**
 * A digest of what must be identical to share a request. Not the content itself as a Map key:
 * V8 hashes long strings by length only, so 30 KB keys of equal length collide and lookups
 * turn quadratic.
 */
function contentKey(m: OutgoingEmail): string {
  const h = createHash('sha1');
  for (const part of [m.from.email, m.from.name ?? '', m.replyTo?.email ?? '', m.replyTo?.name ?? '', (m.categories ?? []).join('\u0000'), m.text, m.html]) {
    h.update(part);
    h.update('\u0001');
  }
  return h.digest('base64');
}

function address(a: { email: string; name?: string }) {
  return a.name ? { email: a.email, name: a.name } : { email: a.email };
}

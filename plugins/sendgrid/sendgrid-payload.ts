// Turns outgoing messages into v3 mail/send requests. Messages whose content is identical
// (same sender, reply-to, HTML, text and categories: typically untracked transactional or
// seed sends) share one request with one personalization each, up to SendGrid's 1,000;
// personalised content (tracked links differ per recipient) needs one request per message.
//
// Each request is a @sendgrid/helpers Mail built through its setters, which check every part as
// `new Mail(data)` does. MailService.send takes a Mail as it is; given plain data it builds
// one with `new Mail(data)`, which first deep-copies the whole request through
// JSON.stringify/parse (the HTML included) and converts every key to camelCase: 63 µs a
// message with our 6 KB bodies (@sendgrid/helpers was 13% of a worker's CPU in bench/live with
// the SendGrid provider), for data we build fresh and already in camelCase.
import { createHash } from 'node:crypto';
import { classes } from '@sendgrid/helpers';
import type { OutgoingEmail } from '../sdk';
import { MESSAGE_ID_ARG, type SendGridConfig } from './sendgrid.config';

type Mail = InstanceType<typeof classes.Mail>;

/** One request: the batch positions it carries (build its Mail with requestMail). */
export interface PlannedRequest {
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
  return [...groups.values()].map((indexes) => ({ indexes }));
}

/** The Mail of one planned request; throws (a plain Error, as `new Mail(data)` would) when a part is malformed. */
export function requestMail(messages: OutgoingEmail[], request: PlannedRequest, config: SendGridConfig): Mail {
  const group = request.indexes.map((i) => messages[i]);
  const first = group[0];
  const mail = new classes.Mail();
  mail.setFrom(address(first.from));
  if (first.replyTo) mail.setReplyTo(address(first.replyTo));
  mail.setContent([
    ...(first.text ? [{ type: 'text/plain', value: first.text }] : []),
    ...(first.html ? [{ type: 'text/html', value: first.html }] : []),
  ]);
  if (first.categories?.length) mail.setCategories(first.categories);
  // Personae tracks opens and clicks itself: SendGrid must not rewrite links or add a pixel.
  mail.setTrackingSettings({
    clickTracking: { enable: false, enableText: false },
    openTracking: { enable: false },
    subscriptionTracking: { enable: false },
  });
  if (config.sandboxMode) mail.setMailSettings({ sandboxMode: { enable: true } });
  if (config.ipPoolName) mail.setIpPoolName(config.ipPoolName);
  mail.setHideWarnings(true);
  mail.setPersonalizations(group.map((m) => ({
    to: [address(m.to)],
    subject: m.subject,
    ...(Object.keys(m.headers).length ? { headers: m.headers } : {}),
    customArgs: { ...(m.customArgs ?? {}), [MESSAGE_ID_ARG]: m.messageId },
  })));
  return mail;
}

/**
 * A digest of what must be identical to share a request. Not the content itself as a Map key:
 * V8 hashes long strings by length only, so 30 KB keys of equal length collide and lookups
 * turn quadratic.
 */
function contentKey(m: OutgoingEmail): string {
  const h = createHash('sha1');
  for (const part of [m.from.email, m.from.name ?? '', m.replyTo?.email ?? '', m.replyTo?.name ?? '', (m.categories ?? []).join('\u0000'), m.text, m.html]) {
    h.update(String(part)); // String(): a malformed field must reach the Mail checks, not throw here
    h.update('\u0001');
  }
  return h.digest('base64');
}

function address(a: { email: string; name?: string }) {
  return a.name ? { email: a.email, name: a.name } : { email: a.email };
}

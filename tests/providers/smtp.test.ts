// The smtp provider against a real SMTP server: pooled connections, headers and MIME as a
// mail client sees them (mailparser), and SMTP replies classified for the worker.
import type { App } from '../../api/app';
import { smtp } from '../../plugins/smtp';
import type { EmailProviderInstance, OutgoingEmail } from '../../plugins/sdk';
import { createTestApp } from '../support/test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';

let app: App;
let server: SmtpTestServer;
const open: EmailProviderInstance[] = [];

beforeAll(async () => {
  server = await startSmtpTestServer({ users: { relay: 'secret' } });
  app = await createTestApp({ plugins: [smtp()] });
});
afterAll(async () => {
  await Promise.all(open.map((p) => p.close?.()));
  await app.close();
  await server.close();
});
beforeEach(() => server.reset());

async function provider(config: Record<string, unknown> = {}, target = server) {
  const def = app.core.extensions.emailProviders.get('smtp')!;
  const cfg = def.config.parse({ host: target.host, port: target.port, username: 'relay', password: 'secret', connectionTimeoutMs: 2000, socketTimeoutMs: 5000, ...config });
  const p = await def.create({ config: cfg, log: app.core.log, workspaceId: 1 });
  open.push(p);
  return p;
}

function email(i: number, over: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    messageId: String(7000 + i),
    to: { email: `reader${i}@example.com`, name: `Lecteur ${i}` },
    from: { email: 'news@shop.example', name: 'Boutique Ünïcode' },
    replyTo: { email: 'help@shop.example' },
    subject: `Grüße ${i} — new arrivals 🎉`,
    html: `<p>Hello ${i} <a href="https://t.example/c/${i}">shop</a></p>`,
    text: `Hello ${i}\nshop: https://t.example/c/${i}\n`,
    headers: { 'List-Unsubscribe': `<https://t.example/u/${i}>, <mailto:unsub@shop.example?subject=${i}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    ...over,
  };
}

test('a batch goes over a small pool of authenticated connections, as well-formed MIME', async () => {
  const sender = await provider({ maxConnections: 2 });
  const outcomes = await sender.send({ messages: Array.from({ length: 12 }, (_, i) => email(i)) });
  expect(outcomes.every((o) => o.status === 'accepted')).toBe(true);
  expect(server.received).toHaveLength(12);
  // Pooled: 12 messages over at most 2 connections.
  expect(new Set(server.received.map((r) => r.connectionId)).size).toBeLessThanOrEqual(2);
  expect(server.received.every((r) => r.user === 'relay')).toBe(true);

  const mail = server.received.find((r) => r.envelope.to[0] === 'reader3@example.com')!;
  expect(mail.envelope).toEqual({ from: 'news@shop.example', to: ['reader3@example.com'] });
  const p = mail.parsed;
  expect(p.subject).toBe('Grüße 3 — new arrivals 🎉');
  expect(p.from?.value).toEqual([{ address: 'news@shop.example', name: 'Boutique Ünïcode' }]);
  expect(p.to && !Array.isArray(p.to) ? p.to.value : null).toEqual([{ address: 'reader3@example.com', name: 'Lecteur 3' }]);
  expect(p.replyTo?.value).toEqual([{ address: 'help@shop.example', name: '' }]);
  // RFC 8058 one-click unsubscribe: both headers, the POST one with exactly this value.
  expect(p.headers.get('list')).toEqual({
    unsubscribe: { url: 'https://t.example/u/3', mail: 'unsub@shop.example?subject=3' },
    'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
  });
  expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  expect(p.headers.get('x-personae-message-id')).toBe('7003');
  expect(p.messageId).toBe((outcomes[3] as { providerMessageId: string }).providerMessageId);
  // multipart/alternative: the text part first, then the HTML, both intact.
  expect(p.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  expect(p.text).toBe('Hello 3\nshop: https://t.example/c/3\n');
  expect(p.html).toBe('<p>Hello 3 <a href="https://t.example/c/3">shop</a></p>');
  expect(mail.raw.indexOf('Content-Type: text/plain')).toBeLessThan(mail.raw.indexOf('Content-Type: text/html'));
});

test('STARTTLS is used when the relay offers it', async () => {
  const tls = await startSmtpTestServer({ users: { relay: 'secret' }, starttls: true });
  try {
    const sender = await provider({ requireTLS: true, allowInvalidCertificates: true }, tls);
    expect((await sender.send({ messages: [email(1)] }))[0].status).toBe('accepted');
    expect(tls.received).toHaveLength(1);
    const strict = await provider({ requireTLS: true }, tls);
    expect((await strict.send({ messages: [email(2)] }))[0]).toMatchObject({ status: 'retryable', reason: expect.stringMatching(/certificate/i) });
    await Promise.all([sender.close?.(), strict.close?.()]);
  } finally {
    await tls.close();
  }
});

test('5xx is a rejection with the server\'s words, 4xx and dead relays are retryable, bad credentials keep the messages', async () => {
  server.refuseRecipient(/^gone@/, { code: 550, message: '5.1.1 <gone@example.com>: Recipient address rejected: User unknown' });
  server.failNextData({ code: 451, message: '4.3.0 Temporary local problem, try later' });
  const sender = await provider({ maxConnections: 1 });
  const outcomes = await sender.send({ messages: [email(1), email(2, { to: { email: 'gone@example.com' } }), email(3)] });
  expect(outcomes[0]).toEqual({ status: 'retryable', reason: 'SMTP 451: 451 4.3.0 Temporary local problem, try later' });
  expect(outcomes[1]).toEqual({ status: 'rejected', reason: 'SMTP 550: 550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown' });
  expect(outcomes[2]).toMatchObject({ status: 'accepted' });
  expect(server.received.map((r) => r.envelope.to[0])).toEqual(['reader3@example.com']);

  const badAuth = await provider({ password: 'wrong' });
  expect((await badAuth.send({ messages: [email(4)] }))[0]).toMatchObject({ status: 'retryable', reason: expect.stringMatching(/^SMTP EAUTH failure: .*535/) });

  const dead = await startSmtpTestServer();
  await dead.close();
  const nowhere = await provider({}, dead);
  expect((await nowhere.send({ messages: [email(5)] }))[0]).toMatchObject({ status: 'retryable', reason: expect.stringMatching(/ECONNREFUSED/) });
});

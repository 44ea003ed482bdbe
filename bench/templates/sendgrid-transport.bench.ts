// How fast rendered messages leave through the sendgrid provider: 30 KB personalised
// messages (one request each) to the loopback SendGrid fake, in batches of 500 as the worker
// hands them over. Baseline in the same run: bare node:http POSTs of the same bodies (the
// fake's ceiling on this machine). The fake runs in this process too, so both figures share
// the cores with it.
//   npx tsx bench/templates/sendgrid-transport.bench.ts
import http from 'node:http';
import pino from 'pino';
import { sendgridProvider } from '../../plugins/sendgrid/sendgrid.provider';
import type { OutgoingEmail } from '../../plugins/sdk';
import { startSendGridFake } from '../../tests/support/sendgrid-fake';

const N = 4000;
const KEY = 'SG.bench-key.personae';
const HTML = `<p>${'x'.repeat(30_000)}</p>`;

const message = (i: number): OutgoingEmail => ({
  messageId: String(i),
  to: { email: `r${i}@example.com`, name: `Reader ${i}` },
  from: { email: 'news@shop.example', name: 'Shop' },
  subject: `Hello ${i}`,
  html: `${HTML}<a href="https://t.example/c/${i}">x</a>`,
  text: `Hello ${i}`,
  headers: { 'List-Unsubscribe': `<https://t.example/u/${i}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
});

async function main() {
  const fake = await startSendGridFake({ apiKeys: [KEY], record: false });
  const def = sendgridProvider({ baseUrl: fake.url });
  const concurrency = Number(process.env.CONCURRENCY ?? 8);
  const sender = await def.create({ config: def.config.parse({ apiKey: KEY, concurrency, batchSize: 500 }), log: pino({ level: 'silent' }), workspaceId: 1 });

  await sender.send({ messages: Array.from({ length: 200 }, (_, i) => message(i)) });
  let t = performance.now();
  let accepted = 0;
  for (let b = 0; b < N / 500; b++) {
    const outcomes = await sender.send({ messages: Array.from({ length: 500 }, (_, i) => message(b * 500 + i)) });
    accepted += outcomes.filter((o) => o.status === 'accepted').length;
  }
  const providerRate = accepted / ((performance.now() - t) / 1000);

  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (m: OutgoingEmail) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        personalizations: [{ to: [m.to], subject: m.subject, headers: m.headers, custom_args: { personae_message_id: m.messageId } }],
        from: m.from,
        content: [{ type: 'text/plain', value: m.text }, { type: 'text/html', value: m.html }],
      });
      const req = http.request(`${fake.url}/v3/mail/send`, { method: 'POST', agent, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < N) await post(message(next++));
  }));
  const rawRate = N / ((performance.now() - t) / 1000);

  console.log(`sendgrid provider → loopback fake, 30 KB messages, concurrency ${concurrency}: ${Math.round(providerRate)} messages/s (${accepted}/${N} accepted)`);
  console.log(`baseline, bare node:http POSTs of the same payloads: ${Math.round(rawRate)} messages/s`);
  await sender.close?.();
  agent.destroy();
  await fake.close();
}

void main();

// The SendGrid fake is a test double other suites trust: it must refuse what the real v3
// API refuses, with the same status codes and messages.
import { startSendGridFake, type SendGridFake } from '../support/sendgrid-fake';

let fake: SendGridFake;
const KEY = 'SG.fake-key.for-tests';

beforeAll(async () => {
  fake = await startSendGridFake({ apiKeys: [KEY] });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const valid = () => ({
  personalizations: [{ to: [{ email: 'a@example.com' }] }],
  from: { email: 'news@shop.example' },
  subject: 'Hi',
  content: [{ type: 'text/plain', value: 'Hi' }, { type: 'text/html', value: '<p>Hi</p>' }],
});

async function post(body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }) {
  const res = await fetch(`${fake.url}/v3/mail/send`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const messages = (r: { body: { errors: { message: string; field: string | null }[] } }) => r.body.errors.map((e) => [e.field, e.message]);

test('accepts a valid request with 202 and an X-Message-Id, and records it', async () => {
  const res = await post(valid());
  expect(res.status).toBe(202);
  expect(res.headers.get('x-message-id')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(fake.accepted).toHaveLength(1);
});

test('authentication and content type', async () => {
  expect((await post(valid(), { 'content-type': 'application/json' })).status).toBe(401);
  const bad = await post(valid(), { authorization: 'Bearer SG.nope', 'content-type': 'application/json' });
  expect(bad.status).toBe(401);
  expect(messages(bad)).toEqual([[null, 'The provided authorization grant is invalid, expired, or revoked']]);
  expect((await post(valid(), { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' })).status).toBe(415);
  expect((await post('{not json')).status).toBe(400);
});

test('personalization and recipient limits', async () => {
  const tooMany = { ...valid(), personalizations: Array.from({ length: 1001 }, (_, i) => ({ to: [{ email: `r${i}@example.com` }] })) };
  const r1 = await post(tooMany);
  expect(r1.status).toBe(400);
  expect(messages(r1)[0][1]).toMatch(/^The personalization block is limited to 1000 personalizations per API request\. You have provided 1001/);

  const thousand = { ...valid(), personalizations: Array.from({ length: 1000 }, (_, i) => ({ to: [{ email: `r${i}@example.com` }] })) };
  expect((await post(thousand)).status).toBe(202);
  expect(fake.accepted).toHaveLength(1000);

  const recipients = { ...valid(), personalizations: Array.from({ length: 500 }, (_, i) => ({ to: [{ email: `a${i}@example.com` }, { email: `b${i}@example.com` }, { email: `c${i}@example.com` }] })) };
  expect(messages(await post(recipients))).toEqual([['personalizations', 'There is a limit of 1000 total recipients (to + cc + bcc) per request.']]);

  const dup = { ...valid(), personalizations: [{ to: [{ email: 'a@example.com' }], cc: [{ email: 'A@example.com' }] }] };
  expect(messages(await post(dup))[0][1]).toMatch(/^Each email address in the personalization block should be unique between to, cc, and bcc/);
  expect(messages(await post({ ...valid(), personalizations: [] }))).toEqual([['personalizations', 'The personalizations field is required and must have at least one personalization.']]);
});

test('payload shape: subject, from, content order, headers, custom args, categories', async () => {
  const { subject: _s, ...noSubject } = valid();
  expect(messages(await post(noSubject))[0][0]).toBe('subject');
  // A subject in every personalization is enough.
  expect((await post({ ...noSubject, personalizations: [{ to: [{ email: 'a@example.com' }], subject: 'Per person' }] })).status).toBe(202);
  expect(messages(await post({ ...valid(), from: { email: 'nope' } }))).toEqual([['from.email', 'The from email does not contain a valid address.']]);
  expect(messages(await post({ ...valid(), content: [{ type: 'text/html', value: '<p>x</p>' }, { type: 'text/plain', value: 'x' }] }))[0][1]).toBe(
    'If present, text/plain must be first, followed by text/html, followed by any other content.',
  );
  expect(messages(await post({ ...valid(), content: [{ type: 'text/plain', value: '' }] }))[0][1]).toBe('The content value must be a string at least one character in length.');
  expect(messages(await post({ ...valid(), headers: { 'X-SG-ID': '1' } }))).toEqual([['headers', 'The following header is reserved and cannot be used: X-SG-ID']]);
  expect(messages(await post({ ...valid(), custom_args: { n: 1 } }))).toEqual([['custom_args.n', 'Invalid type. Expected: string, given: number.']]);
  expect(messages(await post({ ...valid(), custom_args: { big: 'x'.repeat(10_001) } }))[0][1]).toBe('The custom arguments must not exceed 10,000 bytes.');
  expect(messages(await post({ ...valid(), categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }))[0][1]).toBe('Too many categories. You can only have up to 10 categories per request.');
  expect(fake.accepted).toHaveLength(1);
});

test('injected faults: 429 with Retry-After and X-RateLimit-Reset, 500, then normal service', async () => {
  fake.inject({ status: 429, retryAfterSeconds: 3 }, { status: 500 });
  const limited = await post(valid());
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe('3');
  expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  expect((await post(valid())).status).toBe(500);
  expect((await post(valid())).status).toBe(202);
  expect(fake.requests.map((r) => r.status)).toEqual([429, 500, 202]);
  expect(fake.counts).toEqual({ requests: 3, acceptedMessages: 1, byStatus: { 429: 1, 500: 1, 202: 1 } });
});

test('record: false keeps counters only (for benchmarks)', async () => {
  const lean = await startSendGridFake({ apiKeys: [KEY], record: false });
  try {
    const res = await fetch(`${lean.url}/v3/mail/send`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(valid()) });
    expect(res.status).toBe(202);
    expect(lean.counts).toEqual({ requests: 1, acceptedMessages: 1, byStatus: { 202: 1 } });
    expect(lean.accepted).toEqual([]);
    expect(lean.requests).toEqual([]);
  } finally {
    await lean.close();
  }
});

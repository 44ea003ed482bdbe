// A SendGrid-compatible HTTP server on loopback for tests and benchmarks. It validates
// POST /v3/mail/send the way the real v3 API does (auth, JSON shape, personalization and
// recipient limits, reserved headers, custom_args size, categories), answers 202 with an
// X-Message-Id, records what it accepted, injects faults (429 + Retry-After, 5xx, hangs), and
// produces event webhook requests signed with ECDSA P-256 like SendGrid's Signed Event Webhook.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { validateMailSend, type SgMailBody, type SgError } from './sendgrid-fake-validation';
import { SendGridWebhookSigner, type SgEventType, type SgWebhookEvent } from './sendgrid-fake-webhook';

export type { SgMailBody, SgWebhookEvent, SgEventType };

/** A fault the next request(s) get instead of normal handling. */
export type SendGridFault =
  | { status: 429; retryAfterSeconds?: number }
  | { status: 500 | 502 | 503 }
  | { status: 400; message: string }
  /** Never answer (until the fake closes). `accept: true` records the request as accepted first: an ambiguous timeout. */
  | { hang: true; accept?: boolean };

/** One recipient's message as SendGrid accepted it (a personalization of an accepted request). */
export interface AcceptedMessage {
  xMessageId: string;
  /** Index of the personalization in its request. */
  index: number;
  to: { email: string; name?: string };
  from: { email: string; name?: string };
  replyTo?: { email: string; name?: string };
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  customArgs: Record<string, string>;
  categories: string[];
  body: SgMailBody;
}

export interface SendGridFake {
  /** Base URL, e.g. http://127.0.0.1:54321 (point the sendgrid plugin's baseUrl here). */
  url: string;
  /** API keys the fake accepts. */
  apiKeys: Set<string>;
  /** Every request received (including rejected ones), in order. */
  requests: { status: number; body: unknown; at: Date }[];
  /** Accepted messages, one per personalization, in order. */
  accepted: AcceptedMessage[];
  /** Counters kept even when `record: false` (benchmarks): requests by status, messages accepted. */
  counts: { requests: number; acceptedMessages: number; byStatus: Record<number, number> };
  /** Queues faults; each request consumes one. */
  inject(...faults: SendGridFault[]): void;
  /** Decides a fault per request (after the queue); return null to handle normally. */
  faultWhen(fn: ((body: unknown) => SendGridFault | null) | null): void;
  /** The Signed Event Webhook key pair and request builder. */
  webhook: SendGridWebhookSigner;
  /** A realistic event for an accepted message (sg_event_id, sg_message_id, custom args flattened). */
  event(message: AcceptedMessage, type: SgEventType, extra?: Record<string, unknown>): SgWebhookEvent;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1 with a random port. `record: false` keeps only `counts` (a
 * 100,000-message benchmark would otherwise hold every body in memory).
 */
export async function startSendGridFake(opts: { apiKeys?: string[]; record?: boolean } = {}): Promise<SendGridFake> {
  const apiKeys = new Set(opts.apiKeys ?? ['SG.test-key.personae']);
  const keep = opts.record ?? true;
  const requests: SendGridFake['requests'] = [];
  const accepted: AcceptedMessage[] = [];
  const counts: SendGridFake['counts'] = { requests: 0, acceptedMessages: 0, byStatus: {} };
  const queue: SendGridFault[] = [];
  let decide: ((body: unknown) => SendGridFault | null) | null = null;
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) reply(res, 500, { errors: [{ field: null, message: String(err) }] });
    });
  });
  // Keep-alive like the real API, so the client's connection reuse is exercised.
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req, 31 * 1024 * 1024);
    const record = (status: number, body: unknown) => {
      counts.requests++;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
      if (keep) requests.push({ status, body, at: new Date() });
    };
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v3/mail/send') {
      record(404, raw);
      return reply(res, 404, { errors: [{ field: null, message: 'not found' }] });
    }
    const auth = req.headers.authorization;
    if (!auth) return fail(401, 'authorization required');
    if (!auth.startsWith('Bearer ') || !apiKeys.has(auth.slice(7))) return fail(401, 'The provided authorization grant is invalid, expired, or revoked');
    if (raw === null) return fail(413, 'Payload Too Large');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return fail(415, 'Content-Type should be application/json.');

    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(400, 'Bad Request', null);
    }
    const fault = queue.shift() ?? decide?.(body) ?? null;
    if (fault) {
      if ('hang' in fault) {
        if (fault.accept) acceptBody(body as SgMailBody, newMessageId());
        record(0, body);
        hanging.add(res);
        return;
      }
      record(fault.status, body);
      if (fault.status === 429) {
        const after = fault.retryAfterSeconds ?? 1;
        res.setHeader('Retry-After', String(after));
        res.setHeader('X-RateLimit-Limit', '600');
        res.setHeader('X-RateLimit-Remaining', '0');
        res.setHeader('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000) + after));
        return reply(res, 429, { errors: [{ field: null, message: 'too many requests' }] });
      }
      if (fault.status === 400) return reply(res, 400, { errors: [{ field: null, message: fault.message, help: null }] });
      return reply(res, fault.status, { errors: [{ field: null, message: 'internal error' }] });
    }

    const errors = validateMailSend(body);
    if (errors.length) {
      record(400, body);
      return reply(res, 400, { errors });
    }
    const xMessageId = newMessageId();
    acceptBody(body as SgMailBody, xMessageId);
    record(202, body);
    res.writeHead(202, { 'X-Message-Id': xMessageId, 'Content-Length': '0' });
    res.end();

    function fail(status: number, message: string, field: string | null = null) {
      record(status, raw);
      reply(res, status, { errors: [{ field, message, help: null } satisfies SgError] });
    }
  }

  function acceptBody(body: SgMailBody, xMessageId: string) {
    const content = (type: string) => body.content?.find((c) => c.type === type)?.value;
    body.personalizations.forEach((p, index) => {
      counts.acceptedMessages += p.to.length;
      if (!keep) return;
      for (const to of p.to) {
        accepted.push({
          xMessageId,
          index,
          to,
          from: p.from ?? body.from,
          replyTo: body.reply_to,
          subject: p.subject ?? body.subject ?? '',
          text: content('text/plain'),
          html: content('text/html'),
          headers: { ...(body.headers ?? {}), ...(p.headers ?? {}) },
          customArgs: { ...(body.custom_args ?? {}), ...(p.custom_args ?? {}) },
          categories: body.categories ?? [],
          body,
        });
      }
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const webhook = new SendGridWebhookSigner();

  return {
    url: `http://127.0.0.1:${port}`,
    apiKeys,
    requests,
    accepted,
    counts,
    inject: (...faults) => queue.push(...faults),
    faultWhen: (fn) => {
      decide = fn;
    },
    webhook,
    event: (message, type, extra) => webhook.eventFor(message, type, extra),
    reset() {
      requests.length = 0;
      accepted.length = 0;
      Object.assign(counts, { requests: 0, acceptedMessages: 0, byStatus: {} });
      queue.length = 0;
      decide = null;
    },
    async close() {
      for (const res of hanging) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** SendGrid's message ids are 22 URL-safe base64 characters. */
function newMessageId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function reply(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body as text, or null when it exceeds `limit` bytes (the rest is drained). */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? null : Buffer.concat(chunks).toString('utf8');
}

// The transport under @sendgrid/mail. MailService builds and checks the v3 payload, then
// hands it to `client.request`; its default client goes through axios, which measured at
// ~40% of the cost of a send on loopback (2.3× slower than node:http for 30 KB bodies). This
// client speaks the same interface over node:http(s) with a keep-alive pool per
// configuration, and fails the way @sendgrid/client does (ResponseError-shaped errors with
// `code` = HTTP status and `response.{headers, body}`), so outcome classification is unchanged.
import http from 'node:http';
import https from 'node:https';

export interface SendGridRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface SendGridResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** An HTTP answer ≥ 400, shaped like @sendgrid/helpers' ResponseError. */
export class SendGridResponseError extends Error {
  override readonly name = 'ResponseError';
  constructor(
    readonly code: number,
    readonly response: { headers: Record<string, string | string[] | undefined>; body: unknown },
  ) {
    super(http.STATUS_CODES[code] ?? `HTTP ${code}`);
  }
}

export class SendGridHttpClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(private readonly opts: { baseUrl: string; apiKey: string; timeoutMs: number; maxSockets: number }) {
    this.base = new URL(opts.baseUrl);
    this.transport = this.base.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  }

  /** Same contract as @sendgrid/client's request: resolves [response, body] or rejects. */
  request(data: SendGridRequest): Promise<[SendGridResponse, unknown]> {
    const payload = data.body === undefined ? undefined : JSON.stringify(data.body);
    const url = new URL(data.url.replace(/^\//, ''), this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`);
    return new Promise((resolve, reject) => {
      const req = this.transport.request(url, {
        method: data.method,
        agent: this.agent,
        timeout: this.opts.timeoutMs,
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'User-Agent': 'personae-sendgrid',
          Authorization: `Bearer ${this.opts.apiKey}`,
          ...(payload !== undefined ? { 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : '';
          } catch {
            // Not JSON (a proxy's error page): keep the text.
          }
          const status = res.statusCode ?? 0;
          if (status >= 400) reject(new SendGridResponseError(status, { headers: res.headers, body }));
          else resolve([{ statusCode: status, headers: res.headers, body }, body]);
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`timeout of ${this.opts.timeoutMs}ms exceeded`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

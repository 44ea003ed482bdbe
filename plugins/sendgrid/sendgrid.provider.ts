// The SendGrid email provider (v3 Mail Send through @sendgrid/mail). One instance per
// workspace configuration: its own MailService and client, so keys never mix.
import sendgridMail from '@sendgrid/mail';
import { defineEmailProvider, type EmailProviderInstance, type OutgoingEmail, type SendOutcome } from '../sdk';
import { REGION_BASE_URL, SECRET_FIELDS, sendgridConfig, type SendGridConfig } from './sendgrid.config';
import { outcomeOfError } from './sendgrid-outcome';
import { planRequests, requestMail, type PlannedRequest } from './sendgrid-payload';
import { SendGridHttpClient } from './sendgrid-http-client';
import { parseSendGridWebhook } from './sendgrid-webhook';

// The package exports a singleton typed as `export =`; its class hangs off it at runtime.
// Every configuration gets its own instance so API keys never mix.
const { MailService } = sendgridMail as unknown as { MailService: new () => typeof sendgridMail };

export interface SendGridPluginOptions {
  /** Overrides the API base URL for every workspace (a proxy, or the loopback fake in tests). */
  baseUrl?: string;
}

export function sendgridProvider(options: SendGridPluginOptions) {
  return defineEmailProvider<SendGridConfig>({
    key: 'sendgrid',
    label: 'SendGrid',
    config: sendgridConfig,
    secretFields: SECRET_FIELDS,
    create: ({ config, log }) => createSender(config, options, log),
    parseWebhook: ({ config, headers, rawBody }) => parseSendGridWebhook({ config, headers, rawBody }),
  });
}

function createSender(config: SendGridConfig, options: SendGridPluginOptions, log: { warn(obj: object, msg: string): void }): EmailProviderInstance {
  // MailService builds and checks the payload; our client carries it (see sendgrid-http-client.ts).
  const client = new SendGridHttpClient({
    baseUrl: options.baseUrl ?? REGION_BASE_URL[config.region],
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    maxSockets: config.concurrency,
  });
  const mail = new MailService();
  mail.setClient(client as unknown as Parameters<typeof mail.setClient>[0]);

  async function sendOne(request: PlannedRequest, messages: OutgoingEmail[], outcomes: SendOutcome[]): Promise<void> {
    try {
      // A Mail instance is sent as it is (sendgrid-payload.ts says why we build it ourselves).
      const [response] = await mail.send(requestMail(messages, request, config) as never);
      const id = header(response.headers, 'x-message-id');
      for (const i of request.indexes) outcomes[i] = { status: 'accepted', ...(id ? { providerMessageId: id } : {}) };
    } catch (err) {
      const outcome = mailDataError(err) ?? outcomeOfError(err);
      if (outcome.status === 'rejected' && request.indexes.length > 1) {
        // One bad recipient fails a shared request: send its messages one by one to find it.
        const singles = request.indexes.map((i) => ({ indexes: [i] }));
        for (let k = 0; k < singles.length; k += config.concurrency) {
          await Promise.all(singles.slice(k, k + config.concurrency).map((single) => sendOne(single, messages, outcomes)));
        }
        return;
      }
      if (outcome.status !== 'accepted') log.warn({ status: outcome.status, reason: outcome.reason, count: request.indexes.length }, 'sendgrid send failed');
      for (const i of request.indexes) outcomes[i] = outcome;
    }
  }

  return {
    maxBatchSize: config.batchSize,
    async send({ messages, signal }) {
      const outcomes: SendOutcome[] = new Array(messages.length);
      const queue = planRequests(messages, config);
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          if (signal?.aborted) {
            for (const i of next.indexes) outcomes[i] = { status: 'retryable', reason: 'send aborted before the request was made' };
            continue;
          }
          await sendOne(next, messages, outcomes);
        }
      };
      await Promise.all(Array.from({ length: Math.min(config.concurrency, queue.length) }, worker));
      return outcomes;
    },
    async close() {
      client.close();
    },
  };
}

/** @sendgrid/mail refuses some data before sending (it throws a plain Error): that message can never go. */
function mailDataError(err: unknown): SendOutcome | null {
  const e = err as { code?: unknown; response?: unknown };
  if (e instanceof Error && e.code === undefined && e.response === undefined) {
    return { status: 'rejected', reason: `SendGrid payload refused: ${e.message}` };
  }
  return null;
}

function header(headers: unknown, name: string): string | undefined {
  const v = (headers as Record<string, unknown> | undefined)?.[name];
  return v === undefined || v === null ? undefined : String(Array.isArray(v) ? v[0] : v);
}

// The SMTP email provider: nodemailer with a connection pool per workspace configuration.
// SMTP has no batch API, so a batch is many messages sharing the pool's connections.
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { defineEmailProvider, type EmailProviderInstance, type OutgoingEmail, type SendOutcome } from '../sdk';
import { MESSAGE_ID_HEADER, SECRET_FIELDS, smtpConfig, type SmtpConfig } from './smtp.config';

export const smtpProvider = defineEmailProvider<SmtpConfig>({
  key: 'smtp',
  label: 'SMTP relay',
  config: smtpConfig,
  secretFields: SECRET_FIELDS,
  create: ({ config, log }) => createSender(config, log),
});

function createSender(config: SmtpConfig, log: { warn(obj: object, msg: string): void }): EmailProviderInstance {
  const options: SMTPPool.Options = {
    pool: true,
    host: config.host,
    port: config.port,
    secure: config.secure ?? config.port === 465,
    requireTLS: config.requireTLS,
    tls: { rejectUnauthorized: !config.allowInvalidCertificates },
    auth: config.username ? { user: config.username, pass: config.password ?? '' } : undefined,
    maxConnections: config.maxConnections,
    maxMessages: config.maxMessagesPerConnection,
    connectionTimeout: config.connectionTimeoutMs,
    greetingTimeout: config.connectionTimeoutMs,
    socketTimeout: config.socketTimeoutMs,
    name: config.clientName,
  };
  const transport = nodemailer.createTransport(options);

  async function sendOne(m: OutgoingEmail): Promise<SendOutcome> {
    try {
      const info = await transport.sendMail({
        from: m.from.name ? { name: m.from.name, address: m.from.email } : m.from.email,
        to: m.to.name ? { name: m.to.name, address: m.to.email } : m.to.email,
        replyTo: m.replyTo ? (m.replyTo.name ? { name: m.replyTo.name, address: m.replyTo.email } : m.replyTo.email) : undefined,
        subject: m.subject,
        text: m.text || undefined,
        html: m.html || undefined,
        headers: { ...m.headers, [MESSAGE_ID_HEADER]: m.messageId },
        // Never let a caller-supplied header make nodemailer read files or URLs.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      if (info.rejected?.length) return { status: 'rejected', reason: `SMTP rejected ${info.rejected.join(', ')}: ${info.response ?? ''}`.trim() };
      return { status: 'accepted', providerMessageId: info.messageId };
    } catch (err) {
      const outcome = outcomeOfSmtpError(err);
      log.warn({ outcome }, 'smtp send failed');
      return outcome;
    }
  }

  return {
    maxBatchSize: config.batchSize,
    async send({ messages, signal }) {
      // The pool queues these over its connections (at most maxConnections at a time).
      return Promise.all(
        messages.map((m) => (signal?.aborted ? Promise.resolve<SendOutcome>({ status: 'retryable', reason: 'send aborted before the message was handed over' }) : sendOne(m))),
      );
    },
    async close() {
      transport.close();
    },
  };
}

/** 5xx replies are permanent; 4xx, dropped connections, timeouts and auth failures are retryable. */
export function outcomeOfSmtpError(err: unknown): SendOutcome {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string; command?: string };
  const said = (e.response ?? e.message ?? String(err)).slice(0, 1000);
  // Bad credentials or a relay refusing us is the account's problem, not the message's: keep
  // the messages and let the worker's circuit breaker pause the campaign.
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.code === 'ETLS' || e.command === 'CONN') {
    return { status: 'retryable', reason: `SMTP ${e.code ?? 'connection'} failure: ${said}` };
  }
  if (typeof e.responseCode === 'number') {
    const reason = `SMTP ${e.responseCode}: ${said}`;
    return e.responseCode >= 500 ? { status: 'rejected', reason } : { status: 'retryable', reason };
  }
  return { status: 'retryable', reason: `SMTP ${e.code ?? 'error'}: ${said}` };
}

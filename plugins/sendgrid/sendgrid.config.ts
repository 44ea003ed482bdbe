// A workspace's SendGrid configuration (IntegrationConfig), validated once at the edge.
import { z } from 'zod';

export const sendgridConfig = z.object({
  /** A SendGrid API key with Mail Send permission (stored encrypted). */
  apiKey: z.string().trim().startsWith('SG.', 'a SendGrid API key starts with "SG."').min(20).max(200),
  /** Data residency: `eu` sends through api.eu.sendgrid.com (EU regional subusers). */
  region: z.enum(['global', 'eu']).default('global'),
  /**
   * The Signed Event Webhook verification key, as SendGrid shows it (base64, DER SPKI, ECDSA
   * P-256). Without it webhooks are refused: unsigned events are never trusted.
   */
  webhookPublicKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/=\s-]+$/, 'must be the base64 key SendGrid shows under Signed Event Webhook')
    .max(500)
    .optional(),
  /** Refuse webhook requests signed longer ago than this (replays); 0 disables the check. */
  webhookMaxAgeSeconds: z.number().int().min(0).max(7 * 86400).default(2 * 86400),
  /** Per-request timeout; a timed-out request is reported retryable (it may still have been accepted). */
  timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  /** Requests in flight at once per send call. */
  concurrency: z.number().int().min(1).max(64).default(8),
  /** Messages per send call the worker hands over. */
  batchSize: z.number().int().min(1).max(1000).default(100),
  /** SendGrid validates but does not deliver (sandbox mode). */
  sandboxMode: z.boolean().default(false),
  ipPoolName: z.string().min(2).max(64).optional(),
});

export type SendGridConfig = z.infer<typeof sendgridConfig>;

export const SECRET_FIELDS = ['apiKey'];

/** The custom arg carrying our message id; SendGrid returns custom args as top-level event fields. */
export const MESSAGE_ID_ARG = 'personae_message_id';

export const REGION_BASE_URL: Record<SendGridConfig['region'], string> = {
  global: 'https://api.sendgrid.com',
  eu: 'https://api.eu.sendgrid.com',
};

// A workspace's SMTP relay configuration (IntegrationConfig), validated once at the edge.
import { z } from 'zod';

export const smtpConfig = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535).default(587),
    /** Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used when offered. */
    secure: z.boolean().optional(),
    /** Refuse to send unless the server upgrades with STARTTLS. */
    requireTLS: z.boolean().default(false),
    /** Accept self-signed or mismatched certificates (test relays only). */
    allowInvalidCertificates: z.boolean().default(false),
    username: z.string().min(1).max(320).optional(),
    /** Stored encrypted. */
    password: z.string().min(1).max(1000).optional(),
    /** Simultaneous connections in the pool. */
    maxConnections: z.number().int().min(1).max(50).default(5),
    /** Messages per connection before it is recycled. */
    maxMessagesPerConnection: z.number().int().min(1).max(10_000).default(100),
    connectionTimeoutMs: z.number().int().min(1000).max(120_000).default(10_000),
    socketTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
    /** Messages per send call the worker hands over. */
    batchSize: z.number().int().min(1).max(1000).default(50),
    /** Host name announced in EHLO (defaults to this machine's). */
    clientName: z.string().min(1).max(253).optional(),
  })
  .refine((c) => !c.password || c.username, { message: 'a password needs a username', path: ['username'] });

export type SmtpConfig = z.infer<typeof smtpConfig>;

export const SECRET_FIELDS = ['password'];

/** Header carrying our message id, for bounce processing and tracing on the relay's side. */
export const MESSAGE_ID_HEADER = 'X-Personae-Message-Id';

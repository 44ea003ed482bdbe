// The port email providers implement (SendGrid, SMTP, outbox, or a third party's).
import type { z } from 'zod';
import type { Logger } from '../logger';

export interface Address {
  email: string;
  name?: string;
}

/** A fully rendered message, ready for the wire. */
export interface OutgoingEmail {
  /** Our message row id; providers echo it back (e.g. SendGrid custom_args) so webhooks map to it. */
  messageId: string;
  to: Address;
  from: Address;
  replyTo?: Address;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers: Record<string, string>;
  /** Key/values the provider should attach and return in its events. */
  customArgs?: Record<string, string>;
  categories?: string[];
}

/** What happened to one message of a batch. */
export type SendOutcome =
  | { status: 'accepted'; providerMessageId?: string }
  /** Try again later (429, 5xx, timeout). `retryAfterMs` honours the provider's Retry-After. */
  | { status: 'retryable'; reason: string; retryAfterMs?: number }
  /** The provider refused this message for good; `reason` is the provider's own words. */
  | { status: 'rejected'; reason: string };

export interface EmailProviderInstance {
  /** Most messages one `send` call may carry (1 for providers without a batch API). */
  readonly maxBatchSize: number;
  /** Sends a batch; returns one outcome per message, in the same order. Never throws for a provider error. */
  send(args: { messages: OutgoingEmail[]; signal?: AbortSignal }): Promise<SendOutcome[]>;
  close?(): Promise<void>;
}

export type ProviderEventType =
  | 'delivered'
  | 'bounce'
  | 'dropped'
  | 'deferred'
  | 'open'
  | 'click'
  | 'spamreport'
  | 'unsubscribe';

/** A provider webhook event, normalised to one internal shape. */
export interface ProviderEvent {
  /** The provider's id for the event (deduplication key). */
  providerEventId: string;
  type: ProviderEventType;
  /** Our message id, when the provider echoed it back. */
  messageId?: string;
  providerMessageId?: string;
  email?: string;
  occurredAt: Date;
  bounceClass?: 'hard' | 'soft';
  url?: string;
  reason?: string;
  /** Set when the provider flags an open as machine-generated (e.g. Apple Mail Privacy Protection). */
  machineOpen?: boolean;
}

export interface EmailProviderDefinition<C = unknown> {
  key: string;
  label: string;
  /** Validates a workspace's configuration of this provider (IntegrationConfig.settings + secrets). */
  config: z.ZodType<C>;
  /** Config fields stored encrypted and never returned through the API. */
  secretFields?: string[];
  /**
   * Builds a sender for one workspace's configuration. `workspaceId` is the workspace the
   * messages belong to (providers that keep data, like the outbox, store it under it).
   */
  create(args: { config: C; log: Logger; workspaceId: number }): EmailProviderInstance | Promise<EmailProviderInstance>;
  /** Verifies a webhook request (signature) and normalises its events; throws when it is not genuine. */
  parseWebhook?(args: { config: C; headers: Headers; rawBody: string }): Promise<ProviderEvent[]>;
}

/** Typed helper: returns its argument so TypeScript infers the config type. */
export function defineEmailProvider<C>(def: EmailProviderDefinition<C>): EmailProviderDefinition<C> {
  return def;
}

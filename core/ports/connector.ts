// The port data-source connectors implement (a CRM, a shop database, a warehouse table).
import type { z } from 'zod';
import type { Logger } from '../logger';

/** A contact as a connector reports it; identity by email and/or external id. */
export interface ConnectorContact {
  email?: string | null;
  externalId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown>;
}

export interface ConnectorEvent {
  email?: string | null;
  externalId?: string | null;
  type: string;
  occurredAt: Date | string;
  properties?: Record<string, unknown>;
  value?: number | null;
  /** Stable id in the source system, so a re-sync does not duplicate the event. */
  idempotencyKey?: string;
}

/** One page of changes; `cursor` is stored after the page is written, so a sync resumes there. */
export interface ConnectorBatch {
  contacts?: ConnectorContact[];
  events?: ConnectorEvent[];
  cursor?: string | null;
}

export interface ConnectorDefinition<C = unknown> {
  key: string;
  label: string;
  config: z.ZodType<C>;
  secretFields?: string[];
  /** Yields changes since `cursor` (null: everything). The host validates and writes each batch. */
  sync(args: { config: C; cursor: string | null; signal: AbortSignal; log: Logger }): AsyncIterable<ConnectorBatch>;
}

export function defineConnector<C>(def: ConnectorDefinition<C>): ConnectorDefinition<C> {
  return def;
}

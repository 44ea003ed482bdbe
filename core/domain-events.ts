// Domain events: what happened in core, announced after it was committed. Plugins receive
// them as typed hooks; the API forwards some to GraphQL subscriptions. Payloads carry ids,
// never rows: whoever listens re-reads through its own access rules.
//
// Other domains add their events by augmenting the map:
//   declare module '../domain-events' { interface DomainEventMap { 'persona.refreshed': {...} } }

export interface DomainEventMap {
  'contact.created': { workspaceId: number; contactIds: number[]; source: string };
  'contact.updated': { workspaceId: number; contactIds: number[]; source: string };
  'contact.deleted': { workspaceId: number; contactIds: number[] };
  'events.tracked': { workspaceId: number; contactIds: number[]; types: string[]; count: number; source: string };
  'suppression.added': { workspaceId: number; emails: string[]; reason: string };
  'api_key.revoked': { workspaceId: number; keyId: number };
  /** A background job changed status or progress (jobId is the decimal string of the BIGINT id). */
  'job.updated': { workspaceId: number; jobId: string; status: string; progress: number };
}

export type DomainEventName = keyof DomainEventMap;
export type DomainEventHandler<K extends DomainEventName> = (payload: DomainEventMap[K]) => void | Promise<void>;

/** Publishes domain events. Emitting never throws and never waits for listeners. */
export interface DomainEvents {
  emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void;
}

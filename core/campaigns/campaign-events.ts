// Domain events of campaigns and delivery. Payloads carry ids and counts only; listeners
// (GraphQL subscriptions, analytics rollups, plugins) re-read what they need.

declare module '../domain-events' {
  interface DomainEventMap {
    /** A draft campaign was created, edited or deleted (its description: name, audience, variants...). */
    'campaign.changed': { workspaceId: number; campaignId: number; change: 'created' | 'updated' | 'deleted' };
    /** A campaign moved from one lifecycle status to another (launch, pause, circuit breaker, completion...). */
    'campaign.status.changed': { workspaceId: number; campaignId: number; status: string; previousStatus: string; reason?: string };
    /**
     * A batch of messages left the worker: how many were accepted, failed, skipped or deferred.
     * `renderFailed` is the part of `failed` that never reached the provider (our templates).
     */
    'campaign.batch.sent': { workspaceId: number; campaignId: number; sent: number; failed: number; renderFailed: number; skipped: number; retried: number };
    /**
     * Message events were recorded (webhooks, pixel, redirect, unsubscribe, conversions):
     * counts by type for one campaign, so rollups can update incrementally.
     */
    'message.events.applied': { workspaceId: number; campaignId: number; counts: Partial<Record<MessageEventKind, number>> };
    /** An A/B test chose its winner (or fell back) and the rest of the audience was released. */
    'campaign.ab.decided': { workspaceId: number; campaignId: number; winnerVariantId: number; significant: boolean };
  }
}

export type MessageEventKind = 'delivered' | 'bounce' | 'dropped' | 'deferred' | 'open' | 'click' | 'spamreport' | 'unsubscribe' | 'conversion';

export {};

// Domain events analytics listens to or adds. Payloads carry ids only (see core/domain-events.ts).
import '../campaigns/campaign-events';

declare module '../domain-events' {
  interface DomainEventMap {
    /** Rollups of these campaigns changed outside the usual delivery events (a rebuild). */
    'analytics.rollups.changed': { workspaceId: number; campaignIds: number[] };
    /**
     * A provider kept failing and its circuit opened: live campaigns sending through it are
     * paused. Emitted by the circuit breaker (core/delivery/circuit-breaker.ts).
     */
    'provider.circuit.opened': { workspaceId: number; integrationId: number; providerKey: string; reason: string };
  }
}

export {};

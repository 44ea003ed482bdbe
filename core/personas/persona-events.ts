// Domain events of the personas domain. The analytics stream `personaMembershipChanged`
// subscribes to 'persona.membership.changed' and re-reads the persona by id.
export {};

declare module '../domain-events' {
  interface DomainEventMap {
    /** A refresh changed who belongs to a persona (emitted only when entered + left > 0). */
    'persona.membership.changed': { workspaceId: number; personaId: number; entered: number; left: number; size: number };
    /** A persona was refreshed, whether or not its membership changed. */
    'persona.refreshed': { workspaceId: number; personaId: number; size: number; durationMs: number };
    'persona.created': { workspaceId: number; personaId: number };
    'persona.updated': { workspaceId: number; personaId: number };
    'persona.deleted': { workspaceId: number; personaId: number };
  }
}

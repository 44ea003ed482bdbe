// Domain events of the profiles domain (ids and counts only, like every domain event).
export {};

declare module '../domain-events' {
  interface DomainEventMap {
    /** Every profile of the workspace was recomputed as of `computedAt` (ISO 8601). */
    'profiles.computed': { workspaceId: number; contacts: number; computedAt: string };
  }
}

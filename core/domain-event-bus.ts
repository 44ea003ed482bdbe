import type { DomainEventHandler, DomainEventMap, DomainEventName, DomainEvents } from './domain-events';
import type { Logger } from './logger';

type AnyHandler = (name: DomainEventName, payload: DomainEventMap[DomainEventName]) => void | Promise<void>;

/**
 * In-process domain event bus. Handlers run after the emitter's work is done (next tick),
 * concurrently, and a failing handler is logged without affecting the emitter or the others.
 */
export class DomainEventBus implements DomainEvents {
  private readonly handlers = new Map<DomainEventName, Set<(payload: unknown) => void | Promise<void>>>();
  private readonly anyHandlers = new Set<AnyHandler>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  on<K extends DomainEventName>(name: K, handler: DomainEventHandler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler as (payload: unknown) => void);
    return () => set.delete(handler as (payload: unknown) => void);
  }

  /** Listens to every event (the API forwards them to GraphQL subscriptions). */
  onAny(handler: AnyHandler): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    const run = (fn: () => void | Promise<void>, label: string) => {
      const p = Promise.resolve()
        .then(fn)
        .catch((err: unknown) => this.log.error({ err, event: name, handler: label }, 'domain event handler failed'))
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    };
    for (const h of this.handlers.get(name) ?? []) run(() => h(payload), h.name || 'anonymous');
    for (const h of this.anyHandlers) run(() => h(name, payload), h.name || 'any');
  }

  /** Resolves when every handler started so far has finished (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

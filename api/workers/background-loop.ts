/** A long-running worker loop (job runner, campaign sender, schedulers). */
export interface BackgroundLoop {
  name: string;
  start(): void;
  /** Stops taking new work and waits for work in hand to finish or be handed back. */
  stop(): Promise<void>;
}

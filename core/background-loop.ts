// Background loops (job runner, campaign sender, schedulers): the shape worker processes run,
// and the polling loop most of them are. A polling loop runs its step, then waits before the
// next run (setTimeout after the step ends, never setInterval: a slow step must not pile up
// runs), and keeps going when a step fails.

export interface BackgroundLoop {
  name: string;
  start(): void;
  /** Stops taking new work and waits for work in hand to finish or be handed back. */
  stop(): Promise<void>;
}

export interface PollingLoop extends BackgroundLoop {
  /** False before start() and from the moment stop() is called. */
  readonly running: boolean;
}

export function pollingLoop<T>(args: {
  name: string;
  /** One round of work; what it returns picks the pause before the next round. */
  step: () => Promise<T>;
  /** Milliseconds to wait after a round (`undefined` when the round failed). */
  delayMs: (result: T | undefined) => number;
  /** Hears a failed round; the loop goes on. */
  onError: (err: unknown) => void;
  /** Runs in stop() once the current round has ended (hand back work still in hand). */
  afterStop?: () => Promise<void>;
}): PollingLoop {
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> = Promise.resolve();
  const next = async () => {
    let result: T | undefined;
    try {
      result = await args.step();
    } catch (err) {
      args.onError(err);
    }
    if (running) timer = setTimeout(() => (round = next()), args.delayMs(result));
  };
  return {
    name: args.name,
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      round = next();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await round;
      await args.afterStop?.();
    },
  };
}

// The sending loop of a worker process: a few batches in flight at once (database work and
// provider calls overlap), taken round-robin from the live campaigns with due messages.
// Stopping lets in-flight batches finish their provider call and record its outcome.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { CoreContext } from '../../core/context';
import { CampaignSender, type SenderOptions } from '../../core/delivery/campaign-sender';
import { campaignsWithDueMessages } from '../../core/delivery/delivery-maintenance';
import type { BackgroundLoop } from '../../core/background-loop';

export interface SenderLoopOptions extends Omit<SenderOptions, 'owner'> {
  /** Batches in flight at once in this process. */
  concurrency?: number;
  /** How often to look for campaigns with due messages when idle. */
  pollMs?: number;
  owner?: string;
  /** Work for one workspace only (dedicated workers; tests). Default: every workspace. */
  workspaceId?: number;
}

export function createCampaignSenderLoop(core: CoreContext, opts: SenderLoopOptions): BackgroundLoop & { sender: CampaignSender } {
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`.slice(0, 64);
  const sender = new CampaignSender(core, { ...opts, owner });
  const concurrency = opts.concurrency ?? 4;
  const pollMs = opts.pollMs ?? 1000;
  let stopped = true;
  let hot: number[] = [];
  let next = 0;
  const busy = new Set<number>();
  const workers: Promise<void>[] = [];
  const sleepers = new Set<() => void>();
  let refreshing: Promise<void> | null = null;

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const done = () => { clearTimeout(t); sleepers.delete(done); resolve(); };
    const t = setTimeout(done, ms);
    sleepers.add(done);
  });

  const refresh = () => {
    refreshing ??= campaignsWithDueMessages(core, { workspaceId: opts.workspaceId })
      .then((ids) => { hot = ids; })
      .catch((err: unknown) => core.log.warn({ err }, 'sender: listing campaigns failed'))
      .finally(() => { refreshing = null; });
    return refreshing;
  };

  // A campaign is worked by at most `concurrency` slots; take the next one not at its share.
  const take = (): number | undefined => {
    for (let i = 0; i < hot.length; i++) {
      const id = hot[(next + i) % hot.length];
      if (!busy.has(id) || hot.length === 1) {
        next = (next + i + 1) % Math.max(1, hot.length);
        return id;
      }
    }
    return undefined;
  };

  const slot = async () => {
    while (!stopped) {
      const id = take();
      if (id === undefined) {
        await Promise.race([refresh(), sleep(pollMs)]);
        if (!hot.length && !stopped) await sleep(pollMs);
        continue;
      }
      busy.add(id);
      try {
        const report = await sender.sendBatch(id);
        if (!report.claimed) hot = hot.filter((x) => x !== id);
      } catch (err) {
        core.log.error({ err, campaignId: id }, 'sender: batch failed');
        hot = hot.filter((x) => x !== id);
        await sleep(pollMs);
      } finally {
        busy.delete(id);
      }
    }
  };

  return {
    name: 'campaign-sender',
    sender,
    start() {
      if (!stopped) return;
      stopped = false;
      for (let i = 0; i < concurrency; i++) workers.push(slot());
    },
    async stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled(workers.splice(0));
      await sender.close();
    },
  };
}

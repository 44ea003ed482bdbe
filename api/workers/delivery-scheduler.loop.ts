// The delivery scheduler: periodic chores that move campaigns along (scheduled → sending,
// sending → sent), recover dead workers' leases, decide A/B tests, read new events for
// triggers and conversions, and turn due trigger enrollments into messages. Every chore is
// safe to run in several processes at once.
import type { CoreContext } from '../../core/context';
import { completeFinished, promoteScheduled, reapLeases } from '../../core/delivery/delivery-maintenance';
import { decideDueAbTests } from '../../core/campaigns/ab-decision';
import { processDueEnrollments } from '../../core/campaigns/trigger-processing';
import { enrollLifecycle, workspacesWithLifecycleTriggers } from '../../core/campaigns/trigger-enrollment';
import { scanEvents, type ScanOptions } from '../../core/delivery/event-scanner';
import { pollingLoop, type BackgroundLoop } from '../../core/background-loop';

export interface SchedulerOptions {
  tickMs?: number;
  /** LIFECYCLE triggers read profiles, which change slowly: checked this often. */
  lifecycleEveryMs?: number;
  scan?: ScanOptions;
  /** Chores for one workspace only (the event scan too, with its own cursor: event-scanner.ts). */
  workspaceId?: number;
}

const MAX_ROUNDS = 20;

/** One pass of every chore (tests call this directly with a controlled clock). */
export async function runDeliveryChores(core: CoreContext, opts: { scan?: ScanOptions; lifecycle?: boolean; workspaceId?: number } = {}): Promise<void> {
  const scope = { workspaceId: opts.workspaceId };
  const chores: [string, () => Promise<unknown>][] = [
    ['promote scheduled', () => promoteScheduled(core, scope)],
    ['reap leases', () => reapLeases(core, scope)],
    // Bounded per tick so a busy event stream cannot starve the other chores.
    ['scan events', async () => { for (let i = 0; i < MAX_ROUNDS && (await scanEvents(core, { ...opts.scan, workspaceId: opts.workspaceId })) > 0; i++); }],
    ['lifecycle triggers', async () => {
      if (opts.lifecycle === false) return;
      const ids = await workspacesWithLifecycleTriggers(core);
      await enrollLifecycle(core, scope.workspaceId ? ids.filter((id) => id === scope.workspaceId) : ids);
    }],
    ['due enrollments', async () => {
      for (let i = 0; i < MAX_ROUNDS; i++) {
        const r = await processDueEnrollments(core, 1000, scope);
        if (!(r.messages + r.exited + r.skipped)) break;
      }
    }],
    ['A/B decisions', () => decideDueAbTests(core, scope)],
    ['complete campaigns', () => completeFinished(core, scope)],
  ];
  for (const [name, run] of chores) {
    try {
      await run();
    } catch (err) {
      core.log.warn({ err, chore: name }, 'delivery chore failed');
    }
  }
}

export function createDeliverySchedulerLoop(core: CoreContext, opts: SchedulerOptions = {}): BackgroundLoop {
  const tickMs = opts.tickMs ?? 1000;
  const lifecycleEveryMs = opts.lifecycleEveryMs ?? 60_000;
  let lastLifecycle = 0;
  return pollingLoop({
    name: 'delivery-scheduler',
    step: async () => {
      const lifecycle = Date.now() - lastLifecycle >= lifecycleEveryMs;
      if (lifecycle) lastLifecycle = Date.now();
      await runDeliveryChores(core, { scan: opts.scan, lifecycle, workspaceId: opts.workspaceId });
    },
    delayMs: () => tickMs,
    onError: (err) => core.log.warn({ err }, 'delivery scheduler tick failed'),
  });
}

// The delivery loops of a worker process (sender and scheduler), configured from the
// environment so `npm run worker` processes can be tuned without code:
//   PERSONAE_DELIVERY=off                  run no delivery loops in this process
//   PERSONAE_DELIVERY_CONCURRENCY=4        batches in flight per process
//   PERSONAE_DELIVERY_BATCH_SIZE=500       messages per batch (the provider may lower it)
//   PERSONAE_DELIVERY_CLAIM_LEASE_MS=60000 lease on claimed rows until dispatch
//   PERSONAE_DELIVERY_SEND_TIMEOUT_MS=60000 longest provider call (dispatch lease = this + 60 s)
//   PERSONAE_DELIVERY_POLL_MS=1000         idle poll interval; PERSONAE_DELIVERY_TICK_MS scheduler tick
//   PERSONAE_DELIVERY_WORKSPACE=<id>       work for one workspace only (dedicated workers)
import type { CoreContext } from '../../core/context';
import { trackingBaseUrl } from '../../core/tracking/tracking-config';
import { loadConfig } from '../config';
import type { BackgroundLoop } from './background-loop';
import { createCampaignSenderLoop, type SenderLoopOptions } from './campaign-sender.loop';
import { createDeliverySchedulerLoop, type SchedulerOptions } from './delivery-scheduler.loop';

export interface DeliveryLoopOptions {
  sender?: Partial<SenderLoopOptions>;
  scheduler?: SchedulerOptions;
}

function num(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number (got ${JSON.stringify(v)})`);
  return n;
}

/** Delivery loop options from PERSONAE_DELIVERY_* variables. */
export function deliveryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryLoopOptions {
  return {
    sender: {
      concurrency: num(env, 'PERSONAE_DELIVERY_CONCURRENCY'),
      batchSize: num(env, 'PERSONAE_DELIVERY_BATCH_SIZE'),
      claimLeaseMs: num(env, 'PERSONAE_DELIVERY_CLAIM_LEASE_MS'),
      sendTimeoutMs: num(env, 'PERSONAE_DELIVERY_SEND_TIMEOUT_MS'),
      dispatchLeaseMarginMs: num(env, 'PERSONAE_DELIVERY_DISPATCH_MARGIN_MS'),
      pollMs: num(env, 'PERSONAE_DELIVERY_POLL_MS'),
      workspaceId: num(env, 'PERSONAE_DELIVERY_WORKSPACE'),
    },
    scheduler: { tickMs: num(env, 'PERSONAE_DELIVERY_TICK_MS'), workspaceId: num(env, 'PERSONAE_DELIVERY_WORKSPACE') },
  };
}

/** The sender and scheduler loops. */
export function createDeliveryLoops(core: CoreContext, opts: DeliveryLoopOptions = deliveryOptionsFromEnv()): BackgroundLoop[] {
  if (process.env.PERSONAE_DELIVERY === 'off') return [];
  const clean = <T extends object>(o: T | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  const publicUrl = opts.sender?.publicUrl ?? trackingBaseUrl(core) ?? loadConfig().PUBLIC_URL;
  return [
    createCampaignSenderLoop(core, { ...clean(opts.sender), publicUrl }),
    createDeliverySchedulerLoop(core, clean(opts.scheduler)),
  ];
}

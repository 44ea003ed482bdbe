// The delivery loops of a worker process (sender and scheduler), configured from the
// environment (validated with the rest in api/config.ts) so workers can be tuned without code:
//   PERSONAE_DELIVERY=off                  run no delivery loops in this process
//   PERSONAE_DELIVERY_CONCURRENCY=4        batches in flight per process
//   PERSONAE_DELIVERY_BATCH_SIZE=500       messages per batch (the provider may lower it)
//   PERSONAE_DELIVERY_CLAIM_LEASE_MS=60000 lease on claimed rows until dispatch
//   PERSONAE_DELIVERY_SEND_TIMEOUT_MS=60000 longest provider call (dispatch lease = this + 60 s)
//   PERSONAE_DELIVERY_POLL_MS=1000         idle poll interval; PERSONAE_DELIVERY_TICK_MS scheduler tick
//   PERSONAE_DELIVERY_WORKSPACE=<id>       work for one workspace only (dedicated workers)
import type { CoreContext } from '../../core/context';
import { trackingBaseUrl } from '../../core/tracking/tracking-config';
import { loadConfig, type Config } from '../config';
import type { BackgroundLoop } from '../../core/background-loop';
import { createCampaignSenderLoop, type SenderLoopOptions } from './campaign-sender.loop';
import { createDeliverySchedulerLoop, type SchedulerOptions } from './delivery-scheduler.loop';

export interface DeliveryLoopOptions {
  sender?: Partial<SenderLoopOptions>;
  scheduler?: SchedulerOptions;
}

/** Delivery loop options from the PERSONAE_DELIVERY_* settings (validated in api/config.ts). */
export function deliveryOptionsFromConfig(config: Config): DeliveryLoopOptions {
  return {
    sender: {
      concurrency: config.PERSONAE_DELIVERY_CONCURRENCY,
      batchSize: config.PERSONAE_DELIVERY_BATCH_SIZE,
      claimLeaseMs: config.PERSONAE_DELIVERY_CLAIM_LEASE_MS,
      sendTimeoutMs: config.PERSONAE_DELIVERY_SEND_TIMEOUT_MS,
      dispatchLeaseMarginMs: config.PERSONAE_DELIVERY_DISPATCH_MARGIN_MS,
      pollMs: config.PERSONAE_DELIVERY_POLL_MS,
      workspaceId: config.PERSONAE_DELIVERY_WORKSPACE,
    },
    scheduler: { tickMs: config.PERSONAE_DELIVERY_TICK_MS, workspaceId: config.PERSONAE_DELIVERY_WORKSPACE },
  };
}

/** The sender and scheduler loops. */
export function createDeliveryLoops(core: CoreContext, opts?: DeliveryLoopOptions): BackgroundLoop[] {
  // Explicit options (tests, benches) stand alone; otherwise the process's configuration.
  const config = opts ? null : loadConfig();
  if (config?.PERSONAE_DELIVERY === 'off') return [];
  opts ??= deliveryOptionsFromConfig(config!);
  const clean = <T extends object>(o: T | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  const publicUrl = opts.sender?.publicUrl ?? trackingBaseUrl(core) ?? (config ?? loadConfig()).PUBLIC_URL;
  return [
    createCampaignSenderLoop(core, { ...clean(opts.sender), publicUrl }),
    createDeliverySchedulerLoop(core, clean(opts.scheduler)),
  ];
}

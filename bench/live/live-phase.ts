// One live-latency phase of bench/live: a fresh campaign of every bench contact, N WebSocket
// subscribers on one API process, the campaign's counter changes recorded (change-log.ts)
// while a driver sends it, then both latencies (live-subscribers.ts).
import os from 'node:os';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { AppPubSub } from '../../schema/pubsub';
import { launchLiveCampaign, type BenchWorld } from './bench-data';
import { recordChanges } from './change-log';
import { connectSubscribers, percentile, type LatencyReport, type SubscriberClient } from './live-subscribers';
import { simulateSending } from './simulated-sender';
import { cpuMeter, databasePids } from '../process-cpu';
import { DEFAULT_TICKS_PER_SECOND } from '../../schema/analytics/live-stats-feed';

export type Driver =
  | {
      kind: 'worker';
      /** Starts the worker process (or returns the one running); its pid. */
      start(): Promise<number>;
      /** The pid of a worker already running (--repeat), so the phase counts only its CPU from now. */
      running?(): number;
    }
  | { kind: 'simulated'; batch: number; intervalMs: number; maxBatches?: number };

export interface PhaseResult {
  label: string;
  load: string;
  seconds: number;
  /** When the phase started (ms). */
  since: number;
  /** Write times of the counter changes recorded (ms, ascending). */
  changes: number[];
  events: number;
  /** Per change: write → its change event arriving in the bench process. */
  announced: number[];
  report: LatencyReport;
  /** CPU seconds per process group during the phase. */
  cpu: Record<string, number>;
}

export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export async function runLivePhase(args: {
  label: string;
  world: BenchWorld;
  apiUrl: string;
  apiPid: number;
  pubsub: AppPubSub;
  subscribers: number;
  processes: number;
  /** The subscribers' client (live-subscribers.ts). */
  client: SubscriberClient;
  driver: Driver;
  /** More processes whose CPU the phase reports, by label. */
  otherPids?: Record<string, number[]>;
}): Promise<PhaseResult> {
  const { world } = args;
  const load = loadAverage();
  const campaignId = await launchLiveCampaign(world);
  const subs = await connectSubscribers({ url: args.apiUrl, key: world.key, campaignId: encodeGlobalID('Campaign', String(campaignId)), count: args.subscribers, processes: args.processes, client: args.client });
  let workerPid = args.driver.kind === 'worker' ? (args.driver.running?.() ?? 0) : 0;
  const dbPids = databasePids();
  const meter = cpuMeter({
    api: () => [args.apiPid],
    worker: () => (workerPid ? [workerPid] : []),
    subscribers: () => subs.pids,
    'bench process': () => [process.pid],
    'mariadb (whole server)': () => dbPids,
    ...Object.fromEntries(Object.entries(args.otherPids ?? {}).map(([label, pids]) => [label, () => pids])),
  });
  const since = Date.now();
  const log = recordChanges({ pubsub: args.pubsub, sql: world.core.db.sql, campaignId, since });
  subs.arm();
  if (args.driver.kind === 'simulated') {
    await simulateSending(world, { campaignId, batch: args.driver.batch, intervalMs: args.driver.intervalMs, maxBatches: args.driver.maxBatches });
    await world.core.bus.idle();
  } else {
    workerPid = await args.driver.start();
    // Until the scheduler marks the campaign SENT.
    const deadline = Date.now() + 10 * 60_000;
    const status = async () => (await world.core.db.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } })).status;
    while ((await status()) !== 'SENT' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1500)); // the last updates
  const seconds = (Date.now() - since) / 1000;
  const cpu = meter.stop();
  await log.stop();
  const changes = log.changes();
  const report = await subs.close(changes);
  return { label: args.label, load, seconds, since, changes, events: log.events(), announced: log.announced(), report, cpu };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * One line per change: when it was written, the gap to the one before, its announcement
 * delay and its latency over all subscribers — which changes make the tail, and why.
 */
function printPerChange(r: PhaseResult): void {
  const n = r.changes.length;
  if (r.report.missed) return console.log('  (per change: not shown, some changes were never received)');
  for (let c = 0; c < n; c++) {
    // perChange holds each subscriber's latencies in change order, subscriber after subscriber.
    const v = Float64Array.from({ length: r.report.perChange.length / n }, (_, k) => r.report.perChange[c + k * n]).sort();
    const gap = c ? `${fmt(r.changes[c] - r.changes[c - 1])} ms` : '-';
    console.log(`  change ${c + 1} at +${fmt(r.changes[c] - r.since)} ms (gap ${gap}): announced after ${fmt(r.announced[c])} ms; received p50 ${fmt(v[v.length >> 1])} ms, max ${fmt(v[v.length - 1])} ms`);
  }
}

export function printPhase(r: PhaseResult, subscribers: number, eachChange = false): void {
  const { perChange, perUpdate } = r.report;
  const p = (v: number[]) => `p50 ${fmt(percentile(v, 50))} ms, p99 ${fmt(percentile(v, 99))} ms, max ${fmt(percentile(v, 100))} ms`;
  console.log(`\n[${r.label}] load average ${r.load}; ${fmt(r.report.maxSent)} sent in ${fmt(r.seconds, 1)} s; ${fmt(r.changes.length)} counter changes recorded (${fmt(r.events)} change events)`);
  console.log(`  per change, write → receipt of a payload including it: ${p(perChange)} over ${fmt(perChange.length)} (change × subscriber), ${fmt(r.report.missed)} never received (goal p99 ≤ 100 ms)`);
  console.log(`  per update, receipt − newest change it includes:        ${p(perUpdate)} over ${fmt(perUpdate.length)} payloads`);
  console.log(`  of which write → its change event received (commit, announcement, Redis): ${p(r.announced)}`);
  const cpu = Object.entries(r.cpu).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${fmt(v, 1)} s`).join(', ');
  console.log(`  CPU during the phase (${fmt(r.seconds, 1)} s wall × 2 cores): ${cpu}`);
  console.log(`  updates per subscriber: ${fmt(r.report.updates / subscribers, 1)} (${fmt(r.report.updates / subscribers / r.seconds, 1)}/s; bound ${DEFAULT_TICKS_PER_SECOND}/s per campaign)`);
  if (eachChange) printPerChange(r);
}

/** `--repeat`: each run's per-change p50/p99, and both over every run's (change × subscriber) latencies. */
export function printRepeatSummary(runs: PhaseResult[]): void {
  const all = runs.flatMap((r) => r.report.perChange);
  console.log(`\n[worker phase, ${runs.length} campaigns] per change, write → receipt:`);
  runs.forEach((r, i) => console.log(`  campaign ${i + 1}: p50 ${fmt(percentile(r.report.perChange, 50))} ms, p99 ${fmt(percentile(r.report.perChange, 99))} ms (${fmt(r.changes.length)} changes)`));
  const warm = runs.slice(1).flatMap((r) => r.report.perChange);
  console.log(`  all: p50 ${fmt(percentile(all, 50))} ms, p99 ${fmt(percentile(all, 99))} ms; warm worker only (${runs.length > 2 ? `campaigns 2–${runs.length}` : 'campaign 2'}): p50 ${fmt(percentile(warm, 50))} ms, p99 ${fmt(percentile(warm, 99))} ms (goal p99 ≤ 100 ms)`);
}

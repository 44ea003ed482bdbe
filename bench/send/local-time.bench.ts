// The quiet-hours check's local time, per recipient: the sender asks the wall clock of the
// same instant once per recipient of a batch, in the recipient's zone. Baseline in the same
// run: Intl's formatToParts on every call (wallClock before it kept each zone's offset).
//   npx tsx bench/send/local-time.bench.ts        (BATCHES=400, 500 recipients each)
import { formatWallClock, wallClock } from '../../core/util/time-zones';

const BATCHES = Number(process.env.BATCHES ?? 400);
const BATCH = 500;
// A mailing list's spread of zones, the commonest first (repeated to weight them).
const ZONES = ['America/New_York', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Kathmandu', 'UTC'];
const recipients = Array.from({ length: BATCH }, (_, i) => ZONES[(i * 7919) % ZONES.length]);

function run(clock: typeof wallClock): { usPerRecipient: number; checksum: number } {
  let checksum = 0;
  const start = process.hrtime.bigint();
  for (let b = 0; b < BATCHES; b++) {
    const now = Date.UTC(2026, 10, 23, 9, 0) + b * 1_700; // a batch every 1.7 s, as bench/send's worker
    for (const tz of recipients) checksum += clock(tz, now).hour;
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { usPerRecipient: ns / 1000 / (BATCHES * BATCH), checksum };
}

// Warm both paths (Intl formatters, JIT), then measure them interleaved, best of 3 each.
run(formatWallClock);
run(wallClock);
const intl: number[] = [];
const memo: number[] = [];
let sums = new Set<number>();
for (let i = 0; i < 3; i++) {
  const a = run(formatWallClock);
  const b = run(wallClock);
  intl.push(a.usPerRecipient);
  memo.push(b.usPerRecipient);
  sums = new Set([...sums, a.checksum, b.checksum]);
}
if (sums.size !== 1) throw new Error('the two clocks disagree');
const best = (xs: number[]) => Math.min(...xs);
console.log(`${BATCHES} batches × ${BATCH} recipients, ${new Set(ZONES).size} zones`);
console.log(`baseline: Intl formatToParts per call   ${best(intl).toFixed(2)} µs/recipient`);
console.log(`wallClock (offset kept per zone/minute) ${best(memo).toFixed(2)} µs/recipient (${(best(intl) / best(memo)).toFixed(1)}× faster)`);

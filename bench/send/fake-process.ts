// The loopback SendGrid fake in its own process (as the real API is on other machines), so
// the worker being measured does not share its event loop. Prints its URL, then on each
// line read from stdin prints its counters as JSON.
import { createInterface } from 'node:readline';
import { startSendGridFake } from '../../tests/support/sendgrid-fake';

async function main() {
  const fake = await startSendGridFake({ apiKeys: [process.env.SG_KEY ?? 'SG.bench-key.personae'], record: false });
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
  createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${JSON.stringify(fake.counts)}\n`));
  process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
}

void main();

// A child process holding part of the bench's WebSocket subscribers, so that receiving 1,000
// updates per tick is spread over processes (real subscribers are on other machines). Driven
// over IPC by live-subscribers.ts: "arm", then "report" with the change log → latencies.
import { connectLocalSubscribers, subscriberClient } from './live-subscribers';

const [url, key, campaignId, count, client] = process.argv.slice(2);

connectLocalSubscribers({ url, key, campaignId, count: Number(count), client: subscriberClient(client) }).then(
  (subs) => {
    process.send!({ type: 'ready' });
    process.on('message', async (msg: { type: string; changes?: number[] }) => {
      if (msg.type === 'arm') subs.arm();
      if (msg.type === 'maxSent') process.send!({ type: 'maxSent', value: subs.maxSent() });
      if (msg.type === 'report') {
        const report = subs.report(msg.changes ?? []);
        await subs.close();
        // Exit only once the (large) report has been handed to the parent: exit drops unsent IPC.
        process.send!({ type: 'report', report }, () => process.exit(0));
      }
    });
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

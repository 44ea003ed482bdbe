// A child process holding part of the bench's WebSocket subscribers, so that receiving 1,000
// updates per tick is spread over processes (real subscribers are on other machines). Driven
// over IPC by live-subscribers.ts: "arm", then "report" → { latencies, maxSent }.
import { connectLocalSubscribers } from './live-subscribers';

const [url, key, campaignId, count] = process.argv.slice(2);

connectLocalSubscribers({ url, key, campaignId, count: Number(count) }).then(
  (subs) => {
    process.send!({ type: 'ready' });
    process.on('message', async (msg: { type: string }) => {
      if (msg.type === 'arm') subs.arm();
      if (msg.type === 'maxSent') process.send!({ type: 'maxSent', value: subs.maxSent() });
      if (msg.type === 'report') {
        process.send!({ type: 'report', latencies: subs.latencies(), maxSent: subs.maxSent() });
        await subs.close();
        process.exit(0);
      }
    });
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

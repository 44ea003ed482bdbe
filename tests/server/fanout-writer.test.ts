// The live fan-out's writer (api/fanout-writer.ts) against a real ws server and clients on
// loopback: a latest-only subscription keeps one message waiting (the newest), every other
// message is written in order, the writer hands the event loop back between slices, a slow
// client skips stale figures instead of queueing them, and a dropped message is never written.
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { FanoutWriter } from '../../api/fanout-writer';

let wss: WebSocketServer;
const clients: WebSocket[] = [];

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
});
afterAll(async () => {
  clients.forEach((c) => c.terminate());
  await new Promise((r) => wss.close(r));
});

/** A connected pair: the server's socket and what its client receives. */
async function connect(): Promise<{ server: WebSocket; client: WebSocket; received: string[] }> {
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  clients.push(client);
  const received: string[] = [];
  client.on('message', (data) => received.push(data.toString()));
  await new Promise((r) => client.once('open', r));
  return { server: await serverSide, client, received };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

const frame = (p: string) => `{"id":"1","type":"next","payload":${p}}`;

test('a latest-only subscription writes only its newest message; an ordinary one writes every message in order', async () => {
  const { server, received } = await connect();
  const writer = new FanoutWriter();
  const latest = writer.sink(server, frame);
  await Promise.all([1, 2, 3].map((n) => latest.next(`{"n":${n}}`, true)));
  const ordered = writer.sink(server, (p) => `ordered:${p}`);
  for (const n of [1, 2, 3]) await ordered.next(String(n), false);
  await until(() => received.length === 4, 'four messages');
  expect(received).toEqual([frame('{"n":3}'), 'ordered:1', 'ordered:2', 'ordered:3']);
});

test('the writer hands the event loop back between slices, and a waiting message keeps its place when replaced', async () => {
  const { server, received } = await connect();
  const writer = new FanoutWriter(0); // a slice of 0 ms: one write per turn of the loop
  const sinks = Array.from({ length: 5 }, (_, i) => writer.sink(server, (p) => `${i}:${p}`));
  for (const s of sinks) await s.next('old', true);
  expect(writer.queued).toBe(5);
  const seen: number[] = [];
  await new Promise<void>((resolve) => {
    const turn = () => {
      seen.push(writer.queued);
      if (writer.queued) setImmediate(turn);
      else resolve();
    };
    setImmediate(turn);
    // After the first write: sink 3 gets newer figures before its turn.
    setImmediate(() => void sinks[3].next('new', true));
  });
  expect(seen[0]).toBe(4);
  expect(seen.slice(-1)).toEqual([0]);
  expect(seen.length).toBeGreaterThanOrEqual(5);
  await until(() => received.length === 5, 'five messages');
  expect(received).toEqual(['0:old', '1:old', '2:old', '3:new', '4:old']);
});

test('a client that does not read gets the newest figures once it drains, not every figure in between', async () => {
  const { server, client, received } = await connect();
  const raw = (server as unknown as { _socket: Socket })._socket;
  const writer = new FanoutWriter();
  const sink = writer.sink(server, (p) => p);
  (client as unknown as { _socket: Socket })._socket.pause();
  const big = 'x'.repeat(256 * 1024);
  let n = 0;
  // Fill the kernel's buffers until Node buffers on the server side.
  while (raw.writableLength === 0 && n < 400) {
    await sink.next(`${n++}:${big}`, true);
    await new Promise((r) => setImmediate(r));
  }
  expect(raw.writableLength).toBeGreaterThan(0);
  const filled = n;
  for (let i = 0; i < 50; i++) {
    await sink.next(`${n++}:${big}`, true);
    await new Promise((r) => setImmediate(r));
  }
  // Nothing more was handed to the socket while it could not take it.
  expect(raw.writableLength).toBeLessThanOrEqual(big.length + 64);
  (client as unknown as { _socket: Socket })._socket.resume();
  await until(() => received.length > 0 && received[received.length - 1].startsWith(`${n - 1}:`), 'the newest message');
  const numbers = received.map((r) => Number(r.slice(0, r.indexOf(':'))));
  expect(numbers.slice(0, filled)).toEqual(Array.from({ length: filled }, (_, i) => i));
  expect(numbers.length).toBe(filled + 1);
});

test('a dropped message is never written, and whoever waits on it is released', async () => {
  const { server, received } = await connect();
  const writer = new FanoutWriter();
  const latest = writer.sink(server, (p) => `latest:${p}`);
  await latest.next('dropped', true);
  latest.drop();
  const ordered = writer.sink(server, (p) => `ordered:${p}`);
  const waiting = ordered.next('dropped too', false);
  ordered.drop();
  await waiting;
  await ordered.next('kept', false);
  await latest.next('kept', true);
  await latest.settled();
  await until(() => received.length === 2, 'two messages');
  expect(received).toEqual(['ordered:kept', 'latest:kept']);
});

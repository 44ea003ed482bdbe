// Frames written whole by api/websocket-text-frame.ts reach a real ws client intact, in order
// with frames ws writes itself, across the three length encodings (7-bit, 16-bit, 64-bit) and
// with multi-byte UTF-8 (the length is in bytes, not characters).
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { sendText, textFrame } from '../../api/websocket-text-frame';

const texts = [
  '',
  'a',
  'x'.repeat(125),
  'x'.repeat(126),
  'é'.repeat(63), // 126 bytes in 63 characters: the 16-bit length
  `{"id":"1","type":"next","payload":{"data":{"campaignStats":{"sent":12,"updatedAt":"2026-11-23T10:00:00.000Z"}}}}`,
  'y'.repeat(65535),
  'z'.repeat(65536),
  '🙂'.repeat(20_000), // 80,000 bytes: the 64-bit length
];

test('textFrame encodes the length in 7, 16 or 64 bits, in bytes', () => {
  expect([...textFrame('a').subarray(0, 2)]).toEqual([0x81, 1]);
  expect([...textFrame('é'.repeat(63)).subarray(0, 4)]).toEqual([0x81, 126, 0, 126]);
  const big = textFrame('🙂'.repeat(20_000));
  expect([big[0], big[1], big.readBigUInt64BE(2)]).toEqual([0x81, 127, 80_000n]);
  expect(big.length).toBe(10 + 80_000);
});

let wss: WebSocketServer | undefined;
let client: WebSocket | undefined;
// Also when a frame is malformed: the client then waits for bytes that never come.
afterAll(async () => {
  client?.terminate();
  if (wss) await new Promise((r) => wss!.close(r));
});

test('a ws client receives every whole frame intact and in order with ws\'s own', async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((r) => wss!.once('listening', r));
  const received: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client = new WebSocket(`ws://127.0.0.1:${(wss!.address() as AddressInfo).port}`);
    client.on('message', (data, isBinary) => {
      if (isBinary) return reject(new Error('binary frame'));
      received.push(data.toString());
      if (received.length === texts.length * 2) client!.close();
    });
    client.on('close', () => resolve());
    client.on('error', reject);
  });
  const written: (Error | null | undefined)[] = [];
  wss.on('connection', (socket) => {
    for (const t of texts) {
      sendText(socket, t, (err) => written.push(err));
      socket.send(`ws:${t.length}`);
    }
  });
  await done;
  expect(received).toEqual(texts.flatMap((t) => [t, `ws:${t.length}`]));
  expect(written.map((e) => e ?? null)).toEqual(texts.map(() => null));
});

// Sending one WebSocket text message as a single socket write, for the live fan-out
// (api/fanout-writer.ts): the same message to 1,000 sockets per update.
//
// Why not ws's `send`: it frames a message as two chunks (header, payload) and writes them
// corked, so every message is a `writev` through Node's multi-chunk stream path. One buffer
// holding the whole frame goes through the single-write path instead: bench/live/fanout-profile.ts,
// 1,000 sockets, API CPU per update 39–40 ms with `send` against 29–36 ms this way (three runs
// each, interleaved; docs/benchmarks.md). What is left is mostly the kernel's loopback write
// itself (~20 µs a socket in a profile). ws has no public call that writes a frame built by
// the caller, so this writes to the socket ws owns (`_socket`), which is safe only while ws
// itself would write at once: no permessage-deflate (the server disables it, see
// `attachWebSocket`), and never a Blob (ws queues its frames only while compressing or
// reading a Blob; graphql-ws sends strings). Where `_socket` is not a socket, `send` is used.
// The frame is RFC 6455 §5.2: FIN + text opcode, unmasked (server to client), then the length
// in 7 bits, 16 bits (126) or 64 bits (127).
import { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Whole frame of `text` as one buffer. */
export function textFrame(text: string): Buffer {
  const n = Buffer.byteLength(text);
  const header = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + n);
  frame[0] = 0x81;
  if (header === 2) frame[1] = n;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  frame.write(text, header);
  return frame;
}

/** The TCP socket under a ws WebSocket (`_socket`, not public API), or null where it is not one. */
export function rawSocket(ws: WebSocket): Socket | null {
  const raw = (ws as unknown as { _socket?: unknown })._socket;
  return raw instanceof Socket ? raw : null;
}

/** Sends `text` on an open socket; `done` runs once the socket has taken it (or with the write's error). */
export function sendText(ws: WebSocket, text: string, done: (err?: Error | null) => void): void {
  const raw = rawSocket(ws);
  if (raw) raw.write(textFrame(text), done);
  else ws.send(text, done);
}

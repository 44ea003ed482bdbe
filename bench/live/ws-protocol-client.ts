// A minimal graphql-transport-ws subscriber for the bench's 1,000 sockets: ws for the frames,
// the protocol's four messages by hand (connection_init → connection_ack, subscribe → next…).
// Why not graphql-ws's client: the subscribers share the 2 cores with the server under test,
// and a subscriber process handles the 500 copies of an update one after another, so the
// client's own cost per message delays the last receipts of every update and takes CPU from
// the server. Its protocol layer is what this leaves out; the figures are the same JSON.
// Measured: 22–25 ms of subscriber CPU per update for 1,000 sockets against 30–31 ms with
// graphql-ws's client (docs/benchmarks.md, twelfth session).
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export interface NextPayload<T> {
  data?: T | null;
  errors?: unknown[];
}

/** Opens a socket, authenticates, subscribes once; `next` gets each payload as parsed JSON. */
export function subscribeRaw<T>(args: { url: string; authorization: string; query: string; variables: Record<string, unknown>; next: (payload: NextPayload<T>) => void; error: (err: Error) => void }): { close(): Promise<void> } {
  const socket = new WebSocket(args.url, 'graphql-transport-ws', { perMessageDeflate: false });
  // A UUID as graphql-ws's client uses, so the server writes frames of the same length.
  const id = randomUUID();
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: args.authorization } })));
  socket.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { type: string; payload?: unknown };
    if (msg.type === 'next') args.next(msg.payload as NextPayload<T>);
    else if (msg.type === 'connection_ack') socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: args.query, variables: args.variables } }));
    else if (msg.type === 'error') args.error(new Error(JSON.stringify(msg.payload)));
    else if (msg.type === 'ping') socket.send('{"type":"pong"}');
  });
  socket.on('error', args.error);
  socket.on('close', (code, reason) => code !== 1000 && args.error(new Error(`closed ${code} ${reason}`)));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
  };
}

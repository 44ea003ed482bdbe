import { Readable } from 'node:stream';

interface ReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  releaseLock(): void;
}

/**
 * A Node Readable over any WHATWG-style stream. `Readable.fromWeb` accepts only Node's own
 * ReadableStream class, while request bodies and uploaded files arrive as the ponyfill
 * streams of @whatwg-node (yoga's fetch implementation).
 */
export function toNodeReadable(stream: { getReader(): ReaderLike }): Readable {
  const reader = stream.getReader();
  return Readable.from(
    (async function* () {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          if (value) yield Buffer.from(value);
        }
      } finally {
        reader.releaseLock();
      }
    })(),
  );
}

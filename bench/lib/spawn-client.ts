/**
 * A page's spawn session, the way the shim drives it (src/shim/spawn-channel.ts):
 * one `GET spawn/events?session=` stream parsed by the shim's own reader
 * (src/shim/sse.ts, eventsource-parser), `POST spawn` with ids we choose,
 * every event's data JSON-decoded and routed by id.
 */
import { randomBytes } from 'node:crypto';
import { CLIENT_HEADER, PREFIX, type ExecRequest, type SpawnEvents } from '../../src/protocol.js';
import { readEvents } from '../../src/shim/sse.js';
import { sleep } from './stats.js';

export const HEADERS = { [CLIENT_HEADER]: '1' } as const;

export const newId = (): string => randomBytes(12).toString('base64url');

export interface SpawnListener {
  /** A stdout/stderr chunk, as decoded from its event. */
  output?(text: string, stream: 'stdout' | 'stderr'): void;
  exit?(code: number | null, signal: string | null): void;
  error?(message: string): void;
}

export interface Session {
  readonly id: string;
  /** POST spawn; resolves once the gateway says the process started. */
  spawn(req: ExecRequest, listener: SpawnListener): Promise<string>;
  /** Resolves when the stream ends; rejects when it fails. */
  readonly done: Promise<void>;
  close(): void;
}

/**
 * Opens a session's event stream and resolves once it is attached.
 * `readRate` (bytes/s), when given, makes a slow reader: the body is pulled no
 * faster than that, so TCP and the gateway see a reader that cannot keep up.
 */
export async function openSession(gateway: string, opts: { readRate?: number; onBytes?: (n: number) => void } = {}): Promise<Session> {
  const id = newId();
  const listeners = new Map<string, SpawnListener>();
  const abort = new AbortController();
  const res = await fetch(`${gateway}${PREFIX}spawn/events?session=${id}`, { headers: HEADERS, signal: abort.signal });
  if (!res.ok || res.body === null) throw new Error(`spawn/events answered ${res.status}: ${await res.text()}`);
  let body: ReadableStream<Uint8Array> = res.body;
  if (opts.readRate !== undefined) body = throttled(body, opts.readRate);
  if (opts.onBytes !== undefined) body = body.pipeThrough(counting(opts.onBytes));

  const dispatch = (name: string, raw: string): void => {
    const event = JSON.parse(raw) as SpawnEvents[keyof SpawnEvents];
    const listener = listeners.get(event.id);
    if (listener === undefined) return;
    if (name === 'stdout' || name === 'stderr') listener.output?.((event as SpawnEvents['stdout']).data, name);
    else if (name === 'exit') {
      listeners.delete(event.id);
      listener.exit?.((event as SpawnEvents['exit']).code, (event as SpawnEvents['exit']).signal);
    } else if (name === 'error') {
      listeners.delete(event.id);
      listener.error?.((event as SpawnEvents['error']).message);
    }
  };
  const done = readEvents(new Response(body), dispatch, abort.signal);
  // A stream that ends or fails while spawns are pending fails them (as the shim does): never hang.
  void done.then(
    () => fail('the event stream ended'),
    (err: Error) => fail(`the event stream failed: ${err.message}`),
  );
  const fail = (why: string) => {
    for (const listener of listeners.values()) listener.error?.(why);
    listeners.clear();
  };

  return {
    id,
    done,
    async spawn(req, listener) {
      const spawnId = newId();
      listeners.set(spawnId, listener);
      const post = await fetch(`${gateway}${PREFIX}spawn`, {
        method: 'POST',
        headers: { ...HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify({ ...req, session: id, id: spawnId }),
      });
      const text = await post.text();
      if (post.status !== 201) {
        listeners.delete(spawnId);
        throw new Error(`POST spawn answered ${post.status}: ${text}`);
      }
      return spawnId;
    },
    close: () => abort.abort(),
  };
}

function counting(onBytes: (n: number) => void): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      onBytes(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
}

/** Pulls `source` no faster than `rate` bytes/s, one chunk at a time (nothing read ahead). */
function throttled(source: ReadableStream<Uint8Array>, rate: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const start = performance.now();
  let taken = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        taken += value.byteLength;
        const due = start + (taken / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

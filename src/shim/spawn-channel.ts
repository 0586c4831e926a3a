import { ROUTES, type ExecRequest } from '../protocol.js';
import { GatewayError, GatewayUnreachableError } from './errors.js';
import { randomId } from './ids.js';
import { readEvents } from './sse.js';
import type { SpawnHandle, SpawnListener } from './transport.js';

export interface SpawnChannelOptions {
  /** `<gateway>/_dd/` */
  base: string;
  gateway: string;
  headers: Record<string, string>;
  /** `POST spawn`, rejecting as the gateway transport does. */
  post(body: ExecRequest & { session: string; id: string }): Promise<void>;
}

/** A page's spawns over one gateway; the script-tag build loads the real one on first use (lazy-spawn.ts). */
export interface SpawnChannel {
  /** Starts a process and streams to `listener`; returns at once. Never retried. */
  start(req: ExecRequest, listener: SpawnListener): SpawnHandle;
}

/** Makes a transport's spawn channel: handed in, not imported, for the script-tag build's size (issue 8). */
export type SpawnChannelFactory = (opts: SpawnChannelOptions) => SpawnChannel;

interface Entry {
  listener: SpawnListener;
  session: string;
}

/**
 * All of a page's spawns share one SSE stream, its session (protocol:
 * SpawnRequest): browsers allow six connections to a host, and six open
 * streams would block every other call. The stream opens with the first spawn
 * and closes after the last. Nothing is ever retried: a lost stream fails its
 * spawns, and the gateway ends their processes (DDCLIENT-SEMANTICS §2.3).
 */
export function createSpawnChannel(opts: SpawnChannelOptions): SpawnChannel {
  const entries = new Map<string, Entry>();
  let stream: { session: string; abort: AbortController } | undefined;

  const drop = (): void => {
    stream?.abort.abort();
    stream = undefined;
  };

  const finish = (id: string): Entry | undefined => {
    const entry = entries.get(id);
    entries.delete(id);
    if (!entries.size) drop();
    return entry;
  };

  const dispatch = (name: string, raw: string): void => {
    // The fields of SpawnEvents[name]; each branch reads only its own event's (`code` is a number in exit, a string in error).
    const e = JSON.parse(raw) as { id: string; data: string; code: unknown; signal: string | null; message: string };
    if (name === 'stdout' || name === 'stderr') entries.get(e.id)?.listener.output({ [name]: e.data } as { stdout: string });
    else if (name === 'exit') finish(e.id)?.listener.exit(e.code as number | null, e.signal);
    else if (name === 'error') finish(e.id)?.listener.error(new GatewayError(String(e.code), e.message, 502));
  };

  const open = (): string => {
    const current = (stream = { session: randomId(), abort: new AbortController() });
    const { signal } = current.abort;
    fetch(`${opts.base}${ROUTES.spawnEvents}?session=${current.session}`, { headers: opts.headers, signal, cache: 'no-store' })
      .then(async (res) => {
        if (!res.ok) throw new GatewayError('internal', `the gateway refused the spawn stream: ${res.status} ${await res.text()}`, res.status);
        await readEvents(res, dispatch, signal);
        throw new Error('the stream ended');
      })
      .catch((err: unknown) => {
        if (signal.aborted) return;
        if (stream === current) stream = undefined;
        const reason =
          err instanceof Error && err.name === 'TypeError'
            ? new GatewayUnreachableError(opts.gateway, 'a spawned process')
            : new GatewayError('internal', `ddclient-shim: lost the spawn stream from the gateway at ${opts.gateway} (${err instanceof Error ? err.message : 'it closed'}): its processes are stopped, nothing is retried`, 502);
        for (const [id, entry] of entries) if (entry.session === current.session) finish(id)?.listener.error(reason);
      });
    return current.session;
  };

  const stop = (id: string, keepalive = false): Promise<unknown> =>
    fetch(`${opts.base}${ROUTES.spawn}/${id}`, { method: 'DELETE', headers: opts.headers, keepalive }).catch(() => undefined);

  if (typeof addEventListener === 'function') {
    // Docker Desktop ends an extension's processes when its tab goes away; so do we:
    // ask for each stop, then drop the stream (the gateway also stops whatever a
    // dropped stream leaves behind, after a short grace).
    addEventListener('pagehide', () => {
      for (const id of entries.keys()) void stop(id, true);
      drop();
    });
  }

  return {
    start(req: ExecRequest, listener: SpawnListener): SpawnHandle {
      const id = randomId();
      const session = stream?.session ?? open();
      // Settles once `POST spawn` has: a stop must not overtake the start.
      const started = opts.post({ ...req, session, id }).then(
        () => true,
        (err: Error) => {
          finish(id);
          listener.error(err);
          return false;
        },
      );
      entries.set(id, { listener, session });
      return {
        close() {
          if (entries.has(id)) void started.then((ok) => ok && stop(id));
        },
      };
    },
  };
}

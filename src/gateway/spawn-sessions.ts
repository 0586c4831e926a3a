import type { ServerResponse } from 'node:http';
import type { SpawnEventName, SpawnEvents, SpawnRequest } from '../protocol.js';
import type { RunningProcess } from './engine/index.js';
import { GatewayError } from './errors.js';

export interface SpawnSessionOptions {
  start: (req: SpawnRequest) => Promise<RunningProcess>;
  maxSpawns: number;
  /** How long a session may have no stream attached (not yet, or dropped) before its processes are ended. */
  dropGrace: number;
  heartbeat: number;
  log: (line: string) => void;
}

/** One page's event stream and the processes whose output it carries (protocol: `SpawnRequest`). */
interface Session {
  id: string;
  res: ServerResponse | undefined;
  /** Resolvers of writers waiting for a stream to be attached. */
  waiting: Array<(res: ServerResponse | undefined) => void>;
  spawns: Map<string, RunningProcess>;
  dropTimer: NodeJS.Timeout | undefined;
  heartbeat: NodeJS.Timeout | undefined;
  /** Given up (its stream stayed away past the grace, or the gateway closed): nothing waits for a stream any more. */
  over: boolean;
}

/**
 * Spawned processes and the SSE streams that carry their output (issue 3).
 * Output is pulled from a process only as fast as its stream drains, so a slow
 * reader holds the process back instead of growing our memory. A stream that
 * is gone for longer than `dropGrace` (or never came) ends its processes
 * inside their containers; nothing is ever restarted.
 */
export function createSpawnSessions(opts: SpawnSessionOptions) {
  const sessions = new Map<string, Session>();
  const spawnIds = new Set<string>();
  /** Processes whose kill failed (the engine was unreachable), with the timer of the next try. */
  const owed = new Map<RunningProcess, NodeJS.Timeout>();
  let closed = false;

  /**
   * Ends a process, and when that fails (the engine went away, or only our
   * connection to it), keeps trying, backing off to every 30 s, until it works
   * or the gateway closes: a process must not outlive its page because the
   * engine blinked (issue 7). Never rejects: the callers are timers and
   * cleanups, where a rejection would go unhandled and end the gateway.
   */
  const end = async (proc: RunningProcess, what: string, delay = 1_000): Promise<void> => {
    try {
      await proc.kill();
      if (owed.delete(proc)) opts.log(`${what}: ended its process after all`);
    } catch (err) {
      if (closed) return;
      if (!owed.has(proc)) opts.log(`${what}: could not end its process (${(err as Error).message}); trying again until the engine answers`);
      const timer = setTimeout(() => void end(proc, what, Math.min(delay * 2, 30_000)), delay);
      timer.unref();
      owed.set(proc, timer);
    }
  };

  const session = (id: string): Session => {
    let s = sessions.get(id);
    if (s === undefined) {
      s = { id, res: undefined, waiting: [], spawns: new Map(), dropTimer: undefined, heartbeat: undefined, over: false };
      sessions.set(id, s);
      armDrop(s);
    }
    return s;
  };

  /** Starts the grace timer of a session with no stream; when it fires, its processes end. */
  const armDrop = (s: Session): void => {
    clearTimeout(s.dropTimer);
    s.dropTimer = setTimeout(() => {
      if (s.res !== undefined) return;
      s.over = true;
      if (s.spawns.size > 0) opts.log(`spawn session ${s.id}: no event stream for ${opts.dropGrace} ms, ending ${s.spawns.size} process(es)`);
      for (const w of s.waiting.splice(0)) w(undefined);
      for (const [id, proc] of s.spawns) void end(proc, `spawn ${id}`);
      sessions.delete(s.id);
    }, opts.dropGrace);
    s.dropTimer.unref();
  };

  /**
   * The session's stream, once one is attached; undefined once it is given up. A session given
   * up never gets a stream again: a process's last event after that (its exit, once killed) must
   * not wait for one (regression: its pump waited forever, and its --max-spawns slot with it, so
   * after 64 dropped spawns the gateway answered every spawn 429 — issue 7).
   */
  const sink = (s: Session): Promise<ServerResponse | undefined> =>
    s.res !== undefined ? Promise.resolve(s.res) : s.over ? Promise.resolve(undefined) : new Promise((resolve) => s.waiting.push(resolve));

  /** Writes one event, waiting for the stream to drain: this wait is the backpressure. */
  const send = async <E extends SpawnEventName>(s: Session, name: E, data: SpawnEvents[E]): Promise<boolean> => {
    const res = await sink(s);
    if (res === undefined || res.destroyed) return false;
    if (!res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)) await drained(res);
    return true;
  };

  const pump = async (s: Session, id: string, proc: RunningProcess): Promise<void> => {
    try {
      for await (const chunk of proc.output as AsyncIterable<{ stream: 'stdout' | 'stderr'; text: string }>) {
        if (!(await send(s, chunk.stream, { id, data: chunk.text }))) return void (await end(proc, `spawn ${id}`));
      }
      const { code, signal } = await proc.exited;
      await send(s, 'exit', { id, code, signal });
    } catch (err) {
      await end(proc, `spawn ${id}`);
      const error = err instanceof GatewayError ? err : new GatewayError(502, 'internal', `lost the process: ${(err as Error).message}`);
      await send(s, 'error', { id, code: error.code, message: error.message }).catch(() => undefined);
    } finally {
      s.spawns.delete(id);
      spawnIds.delete(id);
    }
  };

  return {
    get running(): number {
      return spawnIds.size;
    },

    /** `POST spawn`: starts the process; its output waits for the session's stream. */
    async spawn(req: SpawnRequest): Promise<void> {
      if (spawnIds.has(req.id)) throw new GatewayError(409, 'bad-request', `spawn id ${req.id} is already in use`);
      if (spawnIds.size >= opts.maxSpawns) {
        throw new GatewayError(429, 'too-many-spawns', `${spawnIds.size} processes are already running through this gateway, its limit (raise it with --max-spawns, or stop some)`);
      }
      spawnIds.add(req.id);
      let proc: RunningProcess;
      try {
        proc = await opts.start(req);
      } catch (err) {
        spawnIds.delete(req.id);
        throw err;
      }
      const s = session(req.session);
      s.spawns.set(req.id, proc);
      void pump(s, req.id, proc);
    },

    /** `GET spawn/events?session=`: attaches the page's event stream. */
    attach(sessionId: string, res: ServerResponse): void {
      const s = session(sessionId);
      if (s.res !== undefined) throw new GatewayError(409, 'bad-request', `spawn session ${sessionId} already has an event stream`);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
      res.socket?.setNoDelay(true);
      res.write(': attached\n\n');
      s.res = res;
      clearTimeout(s.dropTimer);
      for (const w of s.waiting.splice(0)) w(res);
      s.heartbeat = setInterval(() => res.write(': ping\n\n'), opts.heartbeat);
      s.heartbeat.unref();
      res.on('close', () => {
        clearInterval(s.heartbeat);
        s.res = undefined;
        armDrop(s);
      });
    },

    /** `DELETE spawn/<id>`: ends the process inside its container. Its stream still gets the `exit` event. */
    async stop(id: string): Promise<void> {
      for (const s of sessions.values()) {
        const proc = s.spawns.get(id);
        if (proc !== undefined) return proc.kill();
      }
      throw new GatewayError(404, 'not-found', `no running spawn ${id} (it may have exited already)`);
    },

    /** Ends every process and stream: the gateway is closing. */
    async close(): Promise<void> {
      closed = true;
      const kills: Promise<void>[] = [];
      for (const s of sessions.values()) {
        clearTimeout(s.dropTimer);
        clearInterval(s.heartbeat);
        s.over = true;
        for (const w of s.waiting.splice(0)) w(undefined);
        for (const proc of s.spawns.values()) kills.push(proc.kill());
        s.res?.end();
      }
      // One last try for the kills still owed; after this nobody is left to retry them.
      for (const [proc, timer] of owed) {
        clearTimeout(timer);
        kills.push(proc.kill());
      }
      owed.clear();
      await Promise.allSettled(kills);
      sessions.clear();
    },
  };
}

export type SpawnSessions = ReturnType<typeof createSpawnSessions>;

/**
 * Waits for a full stream to drain (or close). Takes its listeners off again:
 * a long stream to a slow reader waits thousands of times, and the listeners
 * `Promise.race([once(res, 'drain'), once(res, 'close')])` leaves behind piled
 * up on the response, one set a wait (issue 8: the gateway's memory grew with
 * the bytes streamed).
 */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error): void => {
      res.off('drain', onDrain).off('close', onDrain).off('error', settle);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onDrain = (): void => settle();
    res.on('drain', onDrain).on('close', onDrain).on('error', settle);
  });
}

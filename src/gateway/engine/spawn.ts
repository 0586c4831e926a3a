/**
 * Spawn: start an exec and hand back its stream as soon as the process runs.
 *
 * Whether it runs is not visible on the stream (the engine answers the start
 * with 200 before runc has tried, and a failure is just a message on stdout), so
 * we poll the exec's inspect until it has a pid (started) or an exit code with
 * no pid (could not start: reject with the engine's message, as `command-not-found`
 * or `cannot-start`, which the shim hands to the callback's `error` argument).
 * The output read meanwhile stays buffered in the stream, paused by backpressure.
 */
import { Readable } from 'node:stream';
import { isStartFailureMessage, startFailure } from './errors.js';
import type { EngineHttp } from './http.js';
import { MARKER_VAR, newMarker, type Killer } from './kill.js';
import { collect } from './output.js';
import { ExecProcess } from './process.js';
import { createExec, pollExec, startExec, startFailed, validate } from './session.js';
import type { RunRequest, RunningProcess } from './types.js';

/** Past this, stop waiting for the start to be visible and hand the process over anyway. */
const START_WAIT_MS = 30_000;

export interface SpawnContext {
  http: EngineHttp;
  killGraceMs: number;
  /** One per engine: batches the kills of a container (kill.ts). */
  killer: Killer;
  local: boolean;
}

export async function spawnProcess(ctx: SpawnContext, req: RunRequest): Promise<RunningProcess> {
  validate(req);
  const { http } = ctx;
  const marker = newMarker();
  const id = await createExec(http, req, [`${MARKER_VAR}=${marker}`]);
  // The first output, or the end of the stream, means the start is decided (a pid, or runc's
  // message and 126/127): inspect at once instead of at the next step of the back-off, which
  // held a process's first chunk back by up to 30 ms (issue 8, first byte).
  let decided!: () => void;
  const startDecided = new Promise<void>((resolve) => (decided = resolve));
  let { output, ended, stop } = await startExec(http, id, req.container, () => decided());
  ended.then(decided, decided);
  let state;
  try {
    state = await pollExec(http, id, (s) => s.pid > 0 || s.exitCode !== null, START_WAIT_MS, 50, startDecided);
  } catch (err) {
    output.destroy(); // nobody will read it: drain, so the engine is not held up (output.ts)
    throw err;
  }
  if (startFailed(state)) {
    // Only runc's one-line message is on the stream: safe to read whole.
    const text = await collect(output);
    await ended.catch(() => {});
    if (isStartFailureMessage(text.stdout) || !text.stdout) {
      throw startFailure(req.container, req.argv, text.stdout || text.stderr || `exit code ${state.exitCode}`);
    }
    // An engine that never reports a pid, and a real process that exited 126/127: give its output back.
    output = Readable.from([
      ...(text.stdout ? [{ stream: 'stdout', text: text.stdout }] : []),
      ...(text.stderr ? [{ stream: 'stderr', text: text.stderr }] : []),
    ]);
    ended = Promise.resolve();
    stop = () => {};
  }
  return new ExecProcess({ ...ctx, id, container: req.container, cmd: req.argv.join(' '), marker, output, stopOutput: stop, ended, pid: state.pid });
}

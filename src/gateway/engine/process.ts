/**
 * One started exec, as a {@link RunningProcess}: its output, its exit, and how
 * to end it inside the container (see kill.ts for why that takes a second exec).
 */
import { finished } from 'node:stream';
import type { Readable } from 'node:stream';
import { GatewayError } from '../errors.js';
import { engineLost, orExecGone } from './errors.js';
import type { EngineHttp } from './http.js';
import { killHostPid, type Killer, type KillOutcome } from './kill.js';
import { hasExited, inspectExec, pollExec, type ExecState } from './session.js';
import type { ExitStatus, RunningProcess } from './types.js';

export interface ProcessInit {
  http: EngineHttp;
  id: string;
  container: string;
  /** The command line, for messages. */
  cmd: string;
  marker: string;
  output: Readable;
  /** Ends delivery of output (see output.ts): kill() calls it first, so the engine is never held up by unread output. */
  stopOutput: () => void;
  ended: Promise<void>;
  killGraceMs: number;
  killer: Killer;
  /** The engine runs on this machine (unix socket), so a host pid is ours to signal. */
  local: boolean;
  /** The process's host pid from exec inspect, 0 when unknown: for the kill fallback only. */
  pid: number;
}

export class ExecProcess implements RunningProcess {
  readonly output: Readable;
  readonly exited: Promise<ExitStatus>;
  private killing: Promise<void> | undefined;
  private killRequested = false;
  private streamClosed = false;

  constructor(private readonly init: ProcessInit) {
    this.output = init.output;
    init.ended.then(
      () => (this.streamClosed = true),
      () => {},
    );
    this.exited = this.waitExit();
    this.exited.catch(() => {}); // whoever awaits it still sees the rejection
  }

  kill(): Promise<void> {
    // A kill that failed (engine unreachable) may be asked for again: spawn sessions retry it (issue 7).
    this.killing ??= this.doKill().catch((err: unknown) => {
      this.killing = undefined;
      throw err;
    });
    return this.killing;
  }

  private async waitExit(): Promise<ExitStatus> {
    const { http, id, ended } = this.init;
    try {
      await ended;
    } catch (err) {
      throw engineLost(http.host, `streaming the output of exec ${id} in "${this.init.container}"`, err);
    }
    // The stream closes at exit, but the exit code may be recorded a moment
    // later; a process that closed its stdout/stderr early is still running:
    // keep polling (backing off to 250 ms) until the engine says it exited.
    const state = await pollExec(http, id, hasExited).catch(orExecGone(http.host, this.init.container, this.init.cmd));
    await new Promise<void>((resolve) => finished(this.output, () => resolve())); // delivered or destroyed
    return this.status(state);
  }

  /** Our own kill shows as 128 + signal; report it the way Node does for a signalled child. */
  private status(state: ExecState): ExitStatus {
    if (this.killRequested && state.exitCode === 143) return { code: null, signal: 'SIGTERM' };
    if (this.killRequested && state.exitCode === 137) return { code: null, signal: 'SIGKILL' };
    return { code: state.exitCode, signal: null };
  }

  private async doKill(): Promise<void> {
    const { http, container, cmd, marker, killGraceMs, killer, local, pid } = this.init;
    this.killRequested = true;
    this.init.stopOutput(); // chunks already buffered are still delivered
    // Inspect only once the stream has closed (see kill.ts for why not before);
    // a closed stream usually means it exited, unless it closed stdout and stderr itself.
    if (this.streamClosed && hasExited(await inspectExec(http, this.init.id))) return;
    let outcome: KillOutcome;
    try {
      outcome = await killer.kill(container, marker);
    } catch (err) {
      // The container went away or stopped: so did the process.
      if (err instanceof GatewayError && (err.code === 'no-such-container' || err.code === 'container-not-running')) return;
      throw err;
    }
    if (outcome === 'no-shell' && local && pid > 0) outcome = (await killHostPid(pid, killGraceMs)) ? 'gone' : 'survived';
    if (outcome === 'gone') return;
    const why =
      outcome === 'survived'
        ? 'a process survived SIGKILL for 5 s (uninterruptible I/O?)'
        : `the container has no \`sh\` for the kill script${local ? '' : ', and the engine is remote, so its host pid is out of reach'}`;
    throw new GatewayError(500, 'internal', `could not end ${JSON.stringify(cmd)} in container "${container}" on ${http.host}: ${why}`);
  }
}

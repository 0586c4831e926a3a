import type { Readable } from 'node:stream';
import type { ExecResult } from '../../protocol.js';

export interface EngineOptions {
  /**
   * The Docker host URL: `unix:///path/docker.sock`, `tcp://host:port` or `http://host:port`.
   * @defaultValue resolved like the docker CLI: `DOCKER_HOST`, else the current docker context, else `unix:///var/run/docker.sock`
   */
  host?: string;
  /**
   * Bytes of stdout + stderr that {@link Engine.exec} collects before it kills the process and fails
   * with `output-too-large`. Not applied to {@link Engine.spawn}: a spawn streams, and backpressure bounds it.
   * @defaultValue 16 MiB
   */
  maxOutputBytes?: number;
  /**
   * How long {@link RunningProcess.kill} waits after SIGTERM before it sends SIGKILL.
   * @defaultValue 1000 ms
   */
  killGraceMs?: number;
}

/** A command to run in a container. `argv` is passed verbatim: no shell, no tokenising. */
export interface RunRequest {
  container: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** For {@link Engine.exec}: when it aborts (the caller went away), the process is ended and the call fails. */
  signal?: AbortSignal;
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ExitStatus {
  /** The process's exit code; null when it was ended by {@link RunningProcess.kill}'s signal. */
  code: number | null;
  signal: string | null;
}

export interface RunningProcess {
  /**
   * Object-mode Readable of {@link OutputChunk}, text decoded as UTF-8 with a streaming decoder
   * per stream (a multi-byte character split across frames comes out whole). Backpressure: while
   * nobody reads, the socket from the engine is paused and the process blocks on write. Ends after
   * the last output. Destroying it stops delivery only (the rest is drained and dropped); use
   * {@link RunningProcess.kill} to end the process.
   */
  output: Readable;
  /**
   * Resolves once the process exits, after `output` has been fully delivered or destroyed.
   * Rejects (GatewayError `engine-unreachable`) if the connection to the engine is lost.
   */
  exited: Promise<ExitStatus>;
  /**
   * Ends the process inside the container (and every process it started): SIGTERM, then SIGKILL
   * after the grace if any is left. Idempotent. Resolves when it is gone.
   */
  kill(): Promise<void>;
}

export interface Engine {
  /** The Docker host URL in use, e.g. `unix:///…/docker.sock`: named in every error message. */
  readonly host: string;
  /** Runs to completion. A non-zero exit is a result, not an error; a binary that cannot start gives code 126/127 with the engine's message in stderr, like `docker exec`. */
  exec(req: RunRequest): Promise<ExecResult>;
  /** Resolves once the process has started; rejects (GatewayError) when it cannot start (`command-not-found`, `cannot-start`, `no-such-container`, …). */
  spawn(req: RunRequest): Promise<RunningProcess>;
  /** Resolves when the engine answers `GET /_ping`. */
  ping(): Promise<void>;
  /** Raw `GET` of an Engine API path (e.g. `/containers/json?all=1`): the parsed JSON; an error status becomes a GatewayError. */
  getJson(path: string): Promise<unknown>;
  /** Closes pooled connections (in-flight streams are cut). */
  close(): Promise<void>;
}

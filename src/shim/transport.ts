import type { ExecRequest, ExecResult } from '../protocol.js';

/** A service call as `backend.request` takes it (DDCLIENT-SEMANTICS §2.1). */
export interface ServiceRequest {
  url: string;
  method: string;
  headers?: Record<string, string>;
  data?: unknown;
}

/** What a spawn tells its caller; exactly one of `exit` and `error` ends it. */
export interface SpawnListener {
  output(chunk: { stdout: string } | { stderr: string }): void;
  /** The process ended; `code` is null when it was killed. */
  exit(code: number | null, signal: string | null): void;
  /** It could not start, or the gateway lost it. */
  error(err: Error): void;
}

export interface SpawnHandle {
  /** Ends the process, inside its container too. */
  close(): void;
}

/**
 * The one seam between the client object and where calls go (DESIGN.md): the
 * gateway over HTTP, or (later) mock handlers and fixtures. Every V0 and V1
 * member is a view over these calls.
 */
export interface Transport {
  /** Resolves the response body (JSON parsed, else text); rejects a `ServiceError` on non-2xx. */
  service(req: ServiceRequest): Promise<unknown>;
  /** Resolves the process's result whatever its exit code; rejects only when it could not run. */
  exec(req: ExecRequest): Promise<ExecResult>;
  /** Starts a process and streams to `listener`; returns at once. Never retried. */
  spawn(req: ExecRequest, listener: SpawnListener): SpawnHandle;
  /** A read-only Engine API call (protocol: DOCKER_READS), e.g. `containers/json?all=1`: the engine's JSON. */
  docker(path: string): Promise<unknown>;
}

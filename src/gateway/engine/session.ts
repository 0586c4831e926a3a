/**
 * The Engine API calls of one exec: create (`POST /containers/{id}/exec`),
 * start (`POST /exec/{id}/start`, a multiplexed stream until the connection
 * closes) and inspect (`GET /exec/{id}/json` for `ExitCode` and `Pid`).
 */
import { GatewayError } from '../errors.js';
import { execCreateError, statusError } from './errors.js';
import type { EngineHttp } from './http.js';
import { collect, outputFrom, type ExecOutput } from './output.js';
import type { RunRequest } from './types.js';

export interface ExecState {
  running: boolean;
  /** Set once the process has exited, or when it could not start (126/127). */
  exitCode: number | null;
  /** The process's pid on the engine's host; 0 until started, and stays 0 when the start failed. */
  pid: number;
}

export function validate(req: RunRequest): void {
  if (!req.container) throw new GatewayError(400, 'bad-request', 'no container given to run the command in');
  if (req.argv.length === 0 || !req.argv[0]) throw new GatewayError(400, 'bad-request', 'empty command: argv needs at least the program to run');
  for (const [key, value] of Object.entries(req.env ?? {})) {
    if (!key || key.includes('=') || key.includes('\0') || value.includes('\0')) {
      throw new GatewayError(400, 'bad-request', `invalid environment variable ${JSON.stringify(key)}: names must be non-empty without "=", and neither may contain NUL`);
    }
  }
}

/** `extraEnv` goes last so a caller's variable of the same name cannot override it (later wins in Docker). */
export async function createExec(http: EngineHttp, req: RunRequest, extraEnv: string[] = []): Promise<string> {
  const env = [...Object.entries(req.env ?? {}).map(([k, v]) => `${k}=${v}`), ...extraEnv];
  const res = await http.json('POST', `/containers/${encodeURIComponent(req.container)}/exec`, {
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Cmd: req.argv,
    ...(env.length ? { Env: env } : {}),
    ...(req.cwd ? { WorkingDir: req.cwd } : {}),
  });
  if (res.status !== 201) throw execCreateError(http.host, req.container, res.status, res.body);
  const id = (res.body as { Id?: unknown } | null)?.Id;
  if (typeof id !== 'string') throw statusError(http.host, `exec in container "${req.container}"`, 502, res.body);
  return id;
}

export async function startExec(http: EngineHttp, id: string, container: string, onBytes?: (n: number) => void): Promise<ExecOutput> {
  const res = await http.stream(`/exec/${id}/start`, { Detach: false, Tty: false });
  if (res.status !== 200) {
    const text = await res.body.setEncoding('utf8').toArray().then((parts: string[]) => parts.join(''));
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    // The container may have stopped between create and start: same errors as create.
    throw execCreateError(http.host, container, res.status, body);
  }
  return outputFrom(res.body, onBytes);
}

export async function inspectExec(http: EngineHttp, id: string): Promise<ExecState> {
  const res = await http.json('GET', `/exec/${id}/json`);
  if (res.status !== 200) throw statusError(http.host, `inspecting exec ${id}`, res.status, res.body);
  const body = res.body as { Running?: unknown; ExitCode?: unknown; Pid?: unknown };
  return {
    running: body.Running === true,
    exitCode: typeof body.ExitCode === 'number' ? body.ExitCode : null,
    pid: typeof body.Pid === 'number' ? body.Pid : 0,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const WOKEN = Symbol('woken');

/**
 * Polls inspect until `done(state)`, backing off from 2 ms to `maxDelay`
 * (the engine has no "wait for exec" call). Gives up after `timeoutMs`,
 * returning the last state. When `wake` settles (something happened that makes
 * `done` likely), the wait in progress is cut short and the back-off starts
 * again from 2 ms; once.
 */
export async function pollExec(
  http: EngineHttp,
  id: string,
  done: (s: ExecState) => boolean,
  timeoutMs = Infinity,
  maxDelay = 250,
  wake?: Promise<unknown>,
): Promise<ExecState> {
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  let waking = wake?.then(
    () => WOKEN,
    () => WOKEN,
  );
  for (;;) {
    const state = await inspectExec(http, id);
    if (done(state) || Date.now() >= deadline) return state;
    if (waking === undefined) await sleep(delay);
    else if ((await Promise.race([sleep(delay), waking])) === WOKEN) {
      waking = undefined;
      delay = 2;
      continue;
    }
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** Exited (or failed to start): the engine has recorded an exit code. */
export const hasExited = (s: ExecState): boolean => s.exitCode !== null && !s.running;

/**
 * The process never started: the engine set 126/127 without ever having a pid
 * (it sets `Pid` under the same lock before any exit can be recorded).
 */
export const startFailed = (s: ExecState): boolean => s.exitCode !== null && s.pid === 0 && (s.exitCode === 126 || s.exitCode === 127);

/** Runs a short helper command (the kill script) to completion, output collected. */
export async function runQuiet(http: EngineHttp, container: string, argv: string[]): Promise<{ state: ExecState; stdout: string; stderr: string; startFailed: boolean }> {
  const id = await createExec(http, { container, argv });
  const { output, ended } = await startExec(http, id, container);
  const { stdout, stderr } = await collect(output);
  await ended;
  const state = await pollExec(http, id, hasExited, 10_000);
  return { state, stdout, stderr, startFailed: startFailed(state) };
}

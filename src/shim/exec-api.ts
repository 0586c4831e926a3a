import type { ExecRequest, ExecTarget } from '../protocol.js';
import { checkObject, checkString, checkStringArray } from './args.js';
import { argvOf, execToResult } from './backend.js';
import type { ExecResultV0 } from './exec-result.js';
import { createLineSplitter } from './line-splitter.js';
import type { SpawnHandle, Transport } from './transport.js';

/** V1 `ExecStreamOptions` (DDCLIENT-SEMANTICS §2.3). */
export interface ExecStreamOptions {
  onOutput?: (data: { stdout: string; stderr?: undefined } | { stdout?: undefined; stderr: string }) => void;
  onError?: (error: any) => void;
  onClose?: (exitCode: number) => void;
  readonly splitOutputLines?: boolean;
}

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** V1 `Exec`: without `stream` a Promise of the result, with it a process handle, returned synchronously. */
export interface Exec {
  (cmd: string, args: string[], options?: ExecOptions): Promise<ExecResultV0>;
  (cmd: string, args: string[], options: ExecOptions & { stream: ExecStreamOptions }): SpawnHandle;
}

/**
 * `extension.vm.cli.exec`, `extension.host.cli.exec` and `docker.cli.exec`:
 * the same function over the transport, for one target (§2.2, §2.3).
 */
export function createExec(transport: Transport, target: ExecTarget, where: string): Exec {
  function exec(cmd: string, args: string[], options?: ExecOptions & { stream?: ExecStreamOptions }): Promise<ExecResultV0> | SpawnHandle {
    const at = `${where}.exec`;
    checkString(at, 'cmd', cmd);
    checkStringArray(at, 'args', args);
    const req: ExecRequest = { target, argv: [] };
    if (options !== undefined) {
      checkObject(at, 'options', options);
      if (options.cwd !== undefined) req.cwd = checkString(at, 'options.cwd', options.cwd);
      if (options.env !== undefined) req.env = envOf(at, options.env);
    }
    if (options?.stream === undefined) {
      // Non-stream: join and tokenise, so `exec('ps', ['--format', '"{{json .}}"'])` works (§2.2).
      return execToResult(transport, { ...req, argv: argvOf(at, cmd, args) });
    }
    // Stream: argv verbatim, no quote stripping (§2.3, extensions-sdk issue 303).
    return streamExec(transport, { ...req, argv: [cmd, ...args] }, checkObject(at, 'options.stream', options.stream));
  }
  return exec as Exec;
}

/** Streams a process to V1 callbacks; with `splitOutputLines`, one call per complete line (§2.3). */
export function streamExec(transport: Transport, req: ExecRequest, stream: ExecStreamOptions): SpawnHandle {
  const emit = (data: { stdout: string } | { stderr: string }) => stream.onOutput?.(data);
  const split = stream.splitOutputLines && { stdout: createLineSplitter((stdout) => emit({ stdout })), stderr: createLineSplitter((stderr) => emit({ stderr })) };
  return transport.spawn(req, {
    output(chunk) {
      if (!split) emit(chunk);
      else if ('stdout' in chunk) split.stdout.push(chunk.stdout);
      else split.stderr.push(chunk.stderr);
    },
    exit(code) {
      if (split) {
        split.stdout.flush();
        split.stderr.flush();
      }
      // A killed process has no exit code: Docker Desktop passes a non-number (§2.3).
      stream.onClose?.(code as number);
    },
    error: (err) => stream.onError?.(err),
  });
}

function envOf(at: string, env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(checkObject<Record<string, unknown>>(at, 'options.env', env))) {
    // NodeJS.ProcessEnv allows undefined values: they mean "not set".
    if (v !== undefined) out[k] = checkString(at, `options.env.${k}`, v);
  }
  return out;
}

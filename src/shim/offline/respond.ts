import type { ExecRequest, ExecResult } from '../../protocol.js';
import { GatewayError, type ServiceError } from '../errors.js';
import type { SpawnHandle, SpawnListener } from '../transport.js';

/** Status texts for the statuses extensions use; a ServiceError's `name` is the status text (DDCLIENT-SEMANTICS §2.1). */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The body as it would have come over the wire: what the gateway transport resolves. */
export function asReceived(body: unknown): unknown {
  return body === undefined ? '' : typeof body === 'string' ? body : JSON.parse(JSON.stringify(body));
}

/** The same rejection a non-2xx gets from the gateway transport. */
export function serviceError(status: number, body: unknown): ServiceError {
  return { name: STATUS_TEXT[status] ?? String(status), message: typeof body === 'string' ? body : JSON.stringify(body), statusCode: status };
}

/** A gateway failure (as the gateway transport rejects it) from recorded or mocked data. */
export function gatewayError(error: { code: string; message: string; status: number }): GatewayError {
  return new GatewayError(error.code, `ddclient-shim: ${error.message}`, error.status);
}

export function execResult(req: ExecRequest, partial: Partial<ExecResult> = {}): ExecResult {
  return { cmd: req.argv.join(' '), code: 0, signal: null, killed: false, stdout: '', stderr: '', ...partial };
}

export const sleep = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Script {
  output: Array<{ at: number; stdout?: string; stderr?: string }>;
  exit?: { at: number; code: number | null; signal?: string | null } | undefined;
  error?: Error | undefined;
}

/**
 * Plays a spawn's script with its timing: output chunks at their `at` (ms
 * after the start), then the exit or the error. `close()` stops it as the real
 * one would: the process "ends by SIGTERM".
 */
export function play(script: Script | Promise<Script>, listener: SpawnListener): SpawnHandle {
  const timers: ReturnType<typeof setTimeout>[] = [];
  let over = false;
  const end = (fn: () => void) => {
    if (over) return;
    over = true;
    timers.forEach(clearTimeout);
    fn();
  };
  void Promise.resolve(script).then(
    (s) => {
      if (over) return;
      for (const chunk of s.output) {
        timers.push(setTimeout(() => listener.output(chunk.stdout !== undefined ? { stdout: chunk.stdout } : { stderr: chunk.stderr ?? '' }), chunk.at));
      }
      const last = s.output.reduce((t, c) => Math.max(t, c.at), 0);
      if (s.error) timers.push(setTimeout(() => end(() => listener.error(s.error!)), last));
      else if (s.exit) timers.push(setTimeout(() => end(() => listener.exit(s.exit!.code, s.exit!.signal ?? null)), Math.max(s.exit.at, last)));
    },
    (err: Error) => end(() => listener.error(err)),
  );
  return { close: () => setTimeout(() => end(() => listener.exit(null, 'SIGTERM'))) };
}

import type { ExecRequest, ExecTarget } from '../protocol.js';
import { checkFunction, checkObject, checkString, checkStringArray, typeError } from './args.js';
import { toExecResult, type ExecResultV0 } from './exec-result.js';
import { tokenize } from './tokenize.js';
import type { ServiceRequest, Transport } from './transport.js';

/** The HTTP half of V0 `backend` and V1 `extension.vm.service` (DDCLIENT-SEMANTICS §2.1). */
export interface HttpService {
  get(url: string): Promise<unknown>;
  post(url: string, data: any): Promise<unknown>;
  put(url: string, data: any): Promise<unknown>;
  patch(url: string, data: any): Promise<unknown>;
  delete(url: string): Promise<unknown>;
  head(url: string): Promise<unknown>;
  request(config: { url: string; method: string; headers?: Record<string, string>; data?: any }): Promise<unknown>;
}

/** V0 `ddClient.backend` (§2). */
export interface BackendV0 extends HttpService {
  execInContainer(container: string, cmd: string): Promise<ExecResultV0>;
  execInVMExtension(cmd: string): Promise<ExecResultV0>;
  spawnInVMExtension(cmd: string, args: string[], callback: (data: any, error: any) => void): void;
}

/** The seven HTTP methods over a transport. `where` names the object in TypeErrors (`backend`, `extension.vm.service`). */
export function createHttpService(transport: Transport, where: string): HttpService {
  const call = (method: string, url: unknown, data?: unknown, headers?: Record<string, string>, at = `${where}.${method.toLowerCase()}`): Promise<unknown> => {
    const req: ServiceRequest = { method, url: servicePath(at, url) };
    if (data !== undefined) req.data = data;
    if (headers !== undefined) req.headers = headers;
    return transport.service(req);
  };
  // post, put and patch send their second argument as the body; the others take none.
  const verbs = Object.fromEntries(['get', 'post', 'put', 'patch', 'delete', 'head'].map((m) => [m, (url: unknown, data?: unknown) => call(m.toUpperCase(), url, m[0] === 'p' ? data : undefined)]));
  return {
    ...verbs,
    request(config) {
      const at = `${where}.request`;
      const c = checkObject<Record<string, unknown>>(at, 'config', config);
      const method = c.method === undefined ? 'GET' : checkString(at, 'config.method', c.method).toUpperCase();
      const headers = c.headers === undefined ? undefined : checkObject<Record<string, string>>(at, 'config.headers', c.headers);
      return call(method, c.url, c.data, headers, at);
    },
  } as HttpService;
}

/** A backend path (`/ls?x=1`); a full URL is refused, it would not reach the backend in Docker Desktop either. */
function servicePath(at: string, url: unknown): string {
  const path = checkString(at, 'url', url);
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw typeError(at, `"url" must be a path on the backend such as "/items", not the URL "${path}"`);
  return path.startsWith('/') ? path : `/${path}`;
}

/**
 * Runs a non-streamed exec: resolves on exit code 0, rejects with the same
 * ExecResultV0 shape otherwise (§2.2; tailscale relies on the rejection).
 */
export async function execToResult(transport: Transport, req: ExecRequest): Promise<ExecResultV0> {
  const result = toExecResult(await transport.exec(req));
  if (result.code !== 0) throw result;
  return result;
}

/** A V0 exec: `cmd` and `args` joined into one command line and tokenised (§2.2); `at` names it in TypeErrors. */
export const execV0 =
  (transport: Transport, target: ExecTarget, at: string) =>
  (cmd: string, ...args: string[]): Promise<ExecResultV0> =>
    execToResult(transport, { target, argv: argvOf(at, cmd, args) });

/**
 * A V0 spawn (`spawnHostCmd`, `spawnDockerCmd`, `backend.spawnInVMExtension`, §2.3): argv verbatim,
 * one callback call per output chunk, `{code, close: true}` once at exit, start failures as `error`.
 */
export const spawnV0 =
  (transport: Transport, target: ExecTarget, at: string) =>
  (cmd: string, args: string[], callback: (data: any, error: any) => void): void => {
    const argv = [checkString(at, 'cmd', cmd), ...checkStringArray(at, 'args', args)];
    const cb = checkFunction(at, 'callback', callback);
    transport.spawn({ target, argv }, {
      output: (chunk) => cb(chunk, undefined),
      exit: (code) => cb({ code, close: true }, undefined),
      error: (err) => cb(undefined, err),
    });
  };

export function createBackend(transport: Transport): BackendV0 {
  const at = 'backend.execInContainer';
  const vm = execV0(transport, 'vm', 'backend.execInVMExtension');
  return {
    ...createHttpService(transport, 'backend'),
    execInContainer: (container, cmd) => execToResult(transport, { target: 'container', container: checkString(at, 'container', container), argv: argvOf(at, cmd) }),
    execInVMExtension: (cmd) => vm(cmd),
    spawnInVMExtension: spawnV0(transport, 'vm', 'backend.spawnInVMExtension'),
  };
}

/**
 * A V0 command line (`cmd`, then any `args`, joined by spaces), tokenised shell-style without a shell (§2.2).
 * Tokenising happens here, in the shim: the wire carries argv.
 */
export function argvOf(at: string, cmd: unknown, args: readonly unknown[] = []): string[] {
  const argv = tokenize([checkString(at, 'cmd', cmd), ...args].join(' '));
  if (argv.length === 0) throw typeError(at, '"cmd" is empty: give the command to run');
  return argv;
}

import type { ExecRequest } from '../protocol.js';
import { checkFunction, checkObject, checkString, checkStringArray } from './args.js';
import { toExecResult, type ExecResultV0 } from './exec-result.js';
import { tokenize } from './tokenize.js';
import type { ServiceRequest, SpawnHandle, SpawnListener, Transport } from './transport.js';

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
  return {
    get: (url) => call('GET', url),
    post: (url, data) => call('POST', url, data),
    put: (url, data) => call('PUT', url, data),
    patch: (url, data) => call('PATCH', url, data),
    delete: (url) => call('DELETE', url),
    head: (url) => call('HEAD', url),
    request(config) {
      const at = `${where}.request`;
      const c = checkObject<Record<string, unknown>>(at, 'config', config);
      const method = c.method === undefined ? 'GET' : checkString(at, 'config.method', c.method).toUpperCase();
      const headers = c.headers === undefined ? undefined : checkObject<Record<string, string>>(at, 'config.headers', c.headers);
      return call(method, c.url, c.data, headers, at);
    },
  };
}

/** A backend path (`/ls?x=1`); a full URL is refused, it would not reach the backend in Docker Desktop either. */
function servicePath(at: string, url: unknown): string {
  const path = checkString(at, 'url', url);
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw new TypeError(`ddClient ${at}: "url" must be a path on the extension's backend such as "/items", not the URL "${path}"`);
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

/** V0 spawn callbacks over a transport spawn (§2.3): one key per call, `{code, close: true}` once at exit, start failures as `error`. */
export function spawnWithCallback(transport: Transport, req: ExecRequest, callback: (data: any, error: any) => void): SpawnHandle {
  const listener: SpawnListener = {
    output: (chunk) => callback(chunk, undefined),
    exit: (code) => callback({ code, close: true }, undefined),
    error: (err) => callback(undefined, err),
  };
  return transport.spawn(req, listener);
}

export function createBackend(transport: Transport): BackendV0 {
  return {
    ...createHttpService(transport, 'backend'),
    execInContainer(container, cmd) {
      const at = 'backend.execInContainer';
      const name = checkString(at, 'container', container);
      return execToResult(transport, { target: 'container', container: name, argv: argvOf(at, cmd) });
    },
    execInVMExtension(cmd) {
      return execToResult(transport, { target: 'vm', argv: argvOf('backend.execInVMExtension', cmd) });
    },
    spawnInVMExtension(cmd, args, callback) {
      const at = 'backend.spawnInVMExtension';
      const argv = [checkString(at, 'cmd', cmd), ...checkStringArray(at, 'args', args)];
      spawnWithCallback(transport, { target: 'vm', argv }, checkFunction(at, 'callback', callback));
    },
  };
}

/** A V0 command line, tokenised shell-style without a shell (§2.2). Tokenising happens here, in the shim: the wire carries argv. */
export function argvOf(at: string, cmd: unknown): string[] {
  const argv = tokenize(checkString(at, 'cmd', cmd));
  if (argv.length === 0) throw new TypeError(`ddClient ${at}: "cmd" is empty: give the command to run`);
  return argv;
}

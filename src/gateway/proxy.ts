import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';
import { GatewayError } from './errors.js';
import { checkDeclaredLength, limitBody } from './respond.js';

/** Headers that describe one connection, never the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/**
 * Request headers a browser adds that Docker Desktop's backend never sees, and
 * that would leak the developer's other loopback sites (cookies are not kept
 * apart by port) or our own credentials. And `expect`: Node has already
 * answered `100-continue` to the client (curl sends it with large bodies:
 * forwarding it made those calls 502).
 */
function isDroppedRequestHeader(name: string): boolean {
  return name === 'cookie' || name === 'origin' || name === 'referer' || name.startsWith('sec-') || name.startsWith('x-ddshim-') || name === 'expect';
}

/**
 * Response headers a backend may not set: `set-cookie` would plant its cookies
 * on every loopback site of the developer's; `x-ddshim-*` would pass a
 * backend's answer off as the gateway's own error (protocol: x-ddshim-error);
 * `access-control-*` would widen what the gateway's CORS allows (issue 7).
 */
function isDroppedResponseHeader(name: string): boolean {
  return name === 'set-cookie' || name.startsWith('x-ddshim-') || name.startsWith('access-control-');
}

export interface ServiceProxy {
  readonly backend: string;
  forward(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Forwards service calls to the extension's backend over TCP or a unix socket
 * with node:http: method, path, query, headers and body as they are; status,
 * headers and body back, streamed both ways with backpressure. The gateway's
 * own failures (backend down, timeout) are GatewayErrors, so the client can
 * tell them from a backend's own 502 (protocol: x-ddshim-error).
 *
 * Not undici: undici 7 throws an uncatchable AssertionError, ending the
 * gateway, when a close-delimited body (an HTTP/1.0 backend, such as Python's
 * http.server) ends while backpressure from a slow page has paused its parser
 * (nodejs/undici#5360, fixed only in undici 8, which needs Node 22).
 * test/gateway/service.test.ts holds the regression test.
 */
export function createServiceProxy(backend: string, opts: { timeout: number; maxBody: number }): ServiceProxy {
  const target = parseBackend(backend);
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 4_000 });
  // One sweep for every call in flight instead of a socket timer per call: re-arming a socket's
  // timeout cost a third of the gateway's CPU a call (issue 8, service-call overhead). A call idle
  // longer than the timeout — waiting for the head, or between body chunks — fails with 504.
  const inflight = new Map<object, { idleSince: number; fail: (err: unknown) => void }>();
  const timeoutError = () => new GatewayError(504, 'backend-timeout', `the extension backend at ${backend} did not answer in time (raise --backend-timeout if it is slow on purpose)`);
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const call of inflight.values()) if (now - call.idleSince > opts.timeout) call.fail(timeoutError());
  }, Math.max(10, Math.min(1_000, opts.timeout / 2)));
  sweep.unref();

  return {
    backend,
    forward(req, res, path) {
      const method = req.method ?? 'GET';
      // Before the backend hears of it (issue 7, item 8).
      checkDeclaredLength(req, opts.maxBody);
      const hasBody = method !== 'GET' && method !== 'HEAD' && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
      return new Promise<void>((resolve, reject) => {
        const key = {};
        const done = () => {
          inflight.delete(key);
          resolve();
        };
        const fail = (err: unknown) => {
          inflight.delete(key);
          upstream.destroy();
          // Headers are gone already: cutting the connection is the only honest signal left.
          if (res.headersSent) return void (res.destroy(), resolve());
          reject(backendError(backend, err));
        };
        const call = { idleSince: Date.now(), fail };
        inflight.set(key, call);
        const upstream = request({ ...target, agent, method, path, headers: requestHeaders(req.headers) }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, responseHeaders(answer.headers));
          answer.on('data', () => (call.idleSince = Date.now()));
          answer.pipe(res);
          answer.once('end', done);
          answer.once('aborted', () => fail(new Error('the backend closed the connection mid-answer')));
          answer.once('error', fail);
        });
        upstream.once('error', fail);
        // A client that hangs up cancels the backend's request too, as nginx does (issue 7).
        res.once('close', () => res.writableFinished || (upstream.destroy(), done()));
        if (!hasBody) return void upstream.end();
        Readable.from(limitBody(req, opts.maxBody)).once('error', fail).pipe(upstream);
      });
    },
    close: async () => {
      clearInterval(sweep);
      agent.destroy();
    },
  };
}

function parseBackend(backend: string): { socketPath: string } | { host: string; port: number } {
  if (backend.startsWith('unix:')) {
    return { socketPath: backend.slice('unix:'.length).replace(/^\/\/(?=\/)/, '') };
  }
  let url: URL;
  try {
    url = new URL(backend);
  } catch {
    throw new TypeError(`--backend "${backend}" is neither http://host:port nor unix:/path/to.sock`);
  }
  if (url.protocol !== 'http:' || url.pathname !== '/') {
    throw new TypeError(`--backend "${backend}" must be http://host:port (no path) or unix:/path/to.sock`);
  }
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
}

function requestHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const dropped = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name) || isDroppedRequestHeader(name)) continue;
    out[name] = value;
  }
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const dropped = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name) || isDroppedResponseHeader(name)) continue;
    out[name] = value;
  }
  return out;
}

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

function backendError(backend: string, err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code?.startsWith('HPE_')) {
    // It answered, so it is reachable: say what it sent instead (issue 7, "backend returning garbage").
    return new GatewayError(502, 'backend-unreachable', `the extension backend at ${backend} answered with something that is not valid HTTP/1.1 (${(err as Error).message}): is --backend the right address?`, { cause: err });
  }
  if (code === 'ECONNRESET') {
    // Connected, then the connection closed before a whole answer came: the backend crashed or hung up.
    return new GatewayError(502, 'backend-unreachable', `the extension backend at ${backend} closed the connection before it answered (${(err as Error).message}): did it crash? Its own log will say`, { cause: err });
  }
  return new GatewayError(502, 'backend-unreachable', `the extension backend at ${backend} is not reachable (${code ?? (err as Error).message}): is it running?`, { cause: err });
}

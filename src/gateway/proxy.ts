import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';
import { GatewayError } from './errors.js';
import { createIdleSweep, type IdleCall } from './idle-sweep.js';
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
  const hostHeader = 'socketPath' in target ? 'localhost' : `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 4_000 });
  // A call idle longer than the timeout — waiting for the head, or between body chunks — fails with 504.
  const idle = createIdleSweep(opts.timeout, () => new GatewayError(504, 'backend-timeout', `the extension backend at ${backend} did not answer in time (raise --backend-timeout if it is slow on purpose)`));

  return {
    backend,
    forward(req, res, path) {
      const method = req.method ?? 'GET';
      // Before the backend hears of it (issue 7, item 8).
      checkDeclaredLength(req, opts.maxBody);
      const hasBody = method !== 'GET' && method !== 'HEAD' && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          idle.remove(call);
          resolve();
        };
        const call: IdleCall = {
          idleSince: Date.now(),
          fail(err) {
            idle.remove(call);
            upstream.destroy();
            // Headers are gone already: cutting the connection is the only honest signal left.
            if (res.headersSent) return void (res.destroy(), resolve());
            reject(backendError(backend, err));
          },
        };
        idle.add(call);
        const headers = forwardedHeaders(req.rawHeaders, isDroppedRequestHeader);
        // Raw headers get no Host from node:http: the backend's own, as a direct call would send.
        headers.push('host', hostHeader);
        const upstream = request({ ...target, agent, method, path, headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, forwardedHeaders(answer.rawHeaders, isDroppedResponseHeader));
          answer.on('data', () => (call.idleSince = Date.now()));
          answer.pipe(res);
          answer.once('end', done);
          answer.once('aborted', () => call.fail(new Error('the backend closed the connection mid-answer')));
          answer.once('error', call.fail);
        });
        upstream.once('error', call.fail);
        // A client that hangs up cancels the backend's request too, as nginx does (issue 7).
        res.once('close', () => res.writableFinished || (upstream.destroy(), done()));
        if (!hasBody) return void upstream.end();
        Readable.from(limitBody(req, opts.maxBody)).once('error', call.fail).pipe(upstream);
      });
    },
    close: async () => {
      idle.stop();
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

/**
 * The headers to pass on, as raw `[name, value, …]` pairs in the order and
 * spelling they came: all but hop-by-hop ones, those the message's own
 * `Connection` names, and those `isDropped` says. Raw pairs, not an object:
 * node:http then writes them as they are instead of one setHeader() each,
 * and a repeated header stays repeated (issue 8, service-call overhead).
 */
function forwardedHeaders(raw: readonly string[], isDropped: (name: string) => boolean): string[] {
  let named: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') named = connectionTokens(raw[i + 1]!, named);
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || named?.has(name) || isDropped(name)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** The header names a `Connection` value lists, added to `into`; none for the usual `keep-alive` or `close`. */
function connectionTokens(value: string, into: Set<string> | undefined): Set<string> | undefined {
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name !== '' && name !== 'close' && !HOP_BY_HOP.has(name)) (into ??= new Set()).add(name);
  }
  return into;
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

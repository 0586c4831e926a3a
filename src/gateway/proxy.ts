import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { GatewayError } from './errors.js';
import { checkDeclaredLength, limitBody } from './respond.js';

/** Headers that describe one connection, never the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/**
 * Request headers a browser adds that Docker Desktop's backend never sees, and
 * that would leak the developer's other loopback sites (cookies are not kept
 * apart by port) or our own credentials. And `expect`: Node has already
 * answered `100-continue` to the client, and undici refuses to send it
 * (curl sends it with large bodies: forwarding it made those calls 502).
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
 * with undici: method, path, query, headers and body as they are; status,
 * headers and body back, streamed both ways. The gateway's own failures
 * (backend down, timeout) are GatewayErrors, so the client can tell them from
 * a backend's own 502 (protocol: x-ddshim-error).
 */
export function createServiceProxy(backend: string, opts: { timeout: number; maxBody: number }): ServiceProxy {
  const { origin, socketPath } = parseBackend(backend);
  const dispatcher = new Agent({
    ...(socketPath === undefined ? {} : { connect: { socketPath } }),
    headersTimeout: opts.timeout,
    bodyTimeout: opts.timeout,
    keepAliveTimeout: 4_000,
  });

  return {
    backend,
    async forward(req, res, path) {
      const method = req.method ?? 'GET';
      // Before the backend hears of it: undici would connect and send the head first (issue 7, item 8).
      checkDeclaredLength(req, opts.maxBody);
      const hasBody = method !== 'GET' && method !== 'HEAD' && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
      // undici's stream() writes the body straight into `res`, with backpressure, and aborts
      // the backend request if the client goes: no body Readable and no stream.pipeline (which
      // makes an AbortController and a DOMException a call), 40 % of the gateway's CPU time
      // a call (issue 8, service-call overhead).
      // A client that hangs up before the backend answers cancels the backend's request too (as
      // nginx does), rather than leave it held until --backend-timeout; and a closing gateway is not
      // kept waiting by it (issue 7). undici takes an EventEmitter as a signal: cheaper than an AbortController.
      const cancel = new EventEmitter();
      res.once('close', () => res.writableFinished || cancel.emit('abort'));
      try {
        await dispatcher.stream(
          {
            origin,
            path,
            method: method as Dispatcher.HttpMethod,
            headers: requestHeaders(req.headers),
            body: hasBody ? Readable.from(limitBody(req, opts.maxBody)) : null,
            signal: cancel,
          },
          ({ statusCode, headers }) => {
            res.writeHead(statusCode, responseHeaders(headers));
            return res;
          },
        );
      } catch (err) {
        // Headers are gone already: cutting the connection is the only honest signal left.
        if (res.headersSent) return void res.destroy(err as Error);
        throw backendError(backend, err);
      }
    },
    close: () => dispatcher.close(),
  };
}

function parseBackend(backend: string): { origin: string; socketPath?: string } {
  if (backend.startsWith('unix:')) {
    const socketPath = backend.slice('unix:'.length).replace(/^\/\/(?=\/)/, '');
    return { origin: 'http://localhost', socketPath };
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
  return { origin: url.origin };
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
  // undici wraps a body that failed (our 413) as its cause.
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof GatewayError) return cause;
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError(504, 'backend-timeout', `the extension backend at ${backend} did not answer in time (raise --backend-timeout if it is slow on purpose)`, { cause: err });
  }
  const code = (err as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
  if (err instanceof undiciErrors.HTTPParserError || code?.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_HEADERS_OVERFLOW') {
    // It answered, so it is reachable: say what it sent instead (issue 7, "backend returning garbage").
    return new GatewayError(502, 'backend-unreachable', `the extension backend at ${backend} answered with something that is not valid HTTP/1.1 (${(err as Error).message}): is --backend the right address?`, { cause: err });
  }
  if (code === 'UND_ERR_SOCKET') {
    // Connected, then the connection closed before a whole answer came: the backend crashed or hung up.
    return new GatewayError(502, 'backend-unreachable', `the extension backend at ${backend} closed the connection before it answered (${(err as Error).message}): did it crash? Its own log will say`, { cause: err });
  }
  const detail = code ?? (err as Error).message;
  return new GatewayError(502, 'backend-unreachable', `the extension backend at ${backend} is not reachable (${detail}): is it running?`, { cause: err });
}

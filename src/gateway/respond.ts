import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GATEWAY_ERROR_HEADER } from '../protocol.js';
import { GatewayError, toGatewayError } from './errors.js';

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    // Never read as a script or a page, whatever a cross-site <script src> or <iframe> asks.
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/**
 * Answers with the gateway's own error: its status, {@link GATEWAY_ERROR_HEADER}
 * and a `{error: {code, message}}` body. If the response has already started,
 * all that can be done is to cut it, so the client sees a broken body rather
 * than a truncated one that looks whole.
 */
export function sendError(res: ServerResponse, err: unknown): void {
  const error = toGatewayError(err);
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  res.setHeader(GATEWAY_ERROR_HEADER, error.code);
  const req = res.req as IncomingMessage | undefined;
  const socket = res.socket;
  sendJson(res, error.status, error.toBody());
  if (req !== undefined && socket !== null && !req.complete) cutUnreadBody(req, socket);
}

/**
 * How long a client refused before it finished sending its body (413, 403, 415…)
 * may go on sending: Node would otherwise read and drop the rest for as long as
 * it comes, an endless chunked body included (issue 7, item 8). A client that
 * stops when it sees the answer is never cut; one that does not is, after this.
 */
export const UNREAD_BODY_GRACE_MS = 1_000;

function cutUnreadBody(req: IncomingMessage, socket: Socket): void {
  const timer = setTimeout(() => {
    if (!req.complete) socket.destroy();
  }, UNREAD_BODY_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** Reads a JSON request body of at most `limit` bytes. Only `application/json` is taken (DESIGN.md: JSON bodies only). */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new GatewayError(415, 'bad-request', `expected a JSON body (content-type: application/json), got ${type ? `"${type}"` : 'none'}`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of limitBody(req, limit)) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new GatewayError(400, 'bad-request', `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Yields a request body's chunks, failing with 413 once more than `limit`
 * bytes arrive — at once when Content-Length says so, else while counting a
 * chunked body, so no body over the limit is ever held or forwarded whole.
 */
export async function* limitBody(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  checkDeclaredLength(req, limit);
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limit) throw tooLarge(limit);
    yield chunk;
  }
}

/** Throws 413 when the request's Content-Length is over `limit`: call it before anything is sent on (the proxy would otherwise connect and send the head first). */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(limit);
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(413, 'payload-too-large', `the request body is over the gateway's limit of ${limit} bytes (raise it with --max-body)`);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATEWAY_ERROR_HEADER } from '../protocol.js';
import { GatewayError, toGatewayError } from './errors.js';

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
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
  sendJson(res, error.status, error.toBody());
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
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limit) throw tooLarge(limit);
    yield chunk;
  }
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(413, 'payload-too-large', `the request body is over the gateway's limit of ${limit} bytes (raise it with --max-body)`);
}

/**
 * HTTP to the Docker engine (over the unix socket or TCP). Connection failures
 * become `engine-unreachable`.
 *
 * Short JSON calls go over one undici Pool (keep-alive). An exec start answers
 * 200 and then streams its body until the connection closes (Docker hijacks
 * the connection): that one goes over node:http on a connection of its own
 * (see stream()), so short calls (inspect, kill) never queue behind it.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { Pool } from 'undici';
import type { Readable } from 'node:stream';
import type { GatewayError } from '../errors.js';
import { engineUnreachable, engineUnsupported } from './errors.js';
import type { EngineTarget } from './host.js';

export interface JsonResponse {
  status: number;
  body: unknown;
}

export class EngineHttp {
  readonly host: string;
  private readonly pool: Pool;
  private readonly unsupported: GatewayError | undefined;
  private readonly streams = new Set<ClientRequest>();

  constructor(private readonly target: EngineTarget) {
    this.host = target.host;
    this.unsupported = target.unsupported === undefined ? undefined : engineUnsupported(target.host, target.unsupported);
    this.pool = new Pool(target.origin, target.socketPath === undefined ? {} : { socketPath: target.socketPath });
  }

  /** A JSON request; any status is returned (the caller knows what a 404 means for it). */
  async json(method: 'GET' | 'POST', path: string, body?: unknown): Promise<JsonResponse> {
    const res = await this.send(method, path, body, {});
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (e.g. `/_ping` answers "OK"): keep the text.
    }
    return { status: res.statusCode, body: parsed };
  }

  /**
   * A request whose body is a long-lived stream (exec start), over node:http
   * rather than undici: undici 7 throws an AssertionError from a socket 'end'
   * handler, which ends the process, when a close-delimited body ends while
   * backpressure has paused its parser (nodejs/undici#5360; fixed in undici 8,
   * which needs Node 22) — a spawn's stream to a slow reader, exactly. Node's
   * http client pauses the socket instead. One connection each, not pooled
   * (the engine hijacks it and closes it when the process ends); no timeout:
   * a process may stay silent for hours. The caller must consume or destroy the body.
   */
  async stream(path: string, body: unknown): Promise<{ status: number; body: Readable }> {
    if (this.unsupported) throw this.unsupported;
    const payload = JSON.stringify(body);
    const { socketPath, origin } = this.target;
    const url = new URL(origin);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          ...(socketPath === undefined ? { host: url.hostname, port: Number(url.port || 80) } : { socketPath }),
          method: 'POST',
          path,
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => resolve({ status: res.statusCode ?? 0, body: res }),
      );
      this.streams.add(req);
      req.once('close', () => this.streams.delete(req));
      // Before the answer: the engine is not reachable. After it, the body reports its own errors.
      req.on('error', (err) => reject(engineUnreachable(this.host, err)));
      req.end(payload);
    });
  }

  async close(): Promise<void> {
    for (const req of this.streams) req.destroy();
    // close() waits for in-flight requests, and a spawn may run forever: give
    // them a moment, then cut them.
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, 500, 'timeout').unref());
    if ((await Promise.race([this.pool.close().then(() => 'closed' as const), timer])) === 'timeout') {
      await this.pool.destroy();
    }
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, opts: { bodyTimeout?: number }) {
    if (this.unsupported) throw this.unsupported;
    try {
      return await this.pool.request({
        method,
        path,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        ...opts,
      });
    } catch (err) {
      throw engineUnreachable(this.host, err);
    }
  }
}

/**
 * HTTP to the Docker engine over one undici Pool (keep-alive connections, over
 * the unix socket or TCP). Connection failures become `engine-unreachable`.
 *
 * An exec start answers 200 and then streams its body until the connection
 * closes (no length, no chunking: Docker hijacks the connection). undici reads
 * such a close-delimited body fine, and knows that connection cannot be reused;
 * the Pool opens another for the next request, so short calls (inspect, kill)
 * never queue behind a running stream.
 */
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

  constructor(target: EngineTarget) {
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
   * A request whose body is a long-lived stream (exec start). No body timeout:
   * a process may stay silent for hours. The caller must consume or destroy the body.
   */
  async stream(path: string, body: unknown): Promise<{ status: number; body: Readable }> {
    const res = await this.send('POST', path, body, { bodyTimeout: 0 });
    return { status: res.statusCode, body: res.body };
  }

  async close(): Promise<void> {
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

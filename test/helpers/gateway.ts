import { request } from 'node:http';
import { CLIENT_HEADER } from '../../src/protocol.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import type { GatewayOptions } from '../../src/gateway/options.js';

/** A real gateway on an ephemeral loopback port, its log lines kept for assertions. */
export async function startTestGateway(options: GatewayOptions = {}): Promise<Gateway & { logs: string[] }> {
  const logs: string[] = [];
  const gateway = await startGateway({ port: 0, log: (line) => logs.push(line), ...options });
  return Object.assign(gateway, { logs });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** `[name, value, …]` as they came on the wire. */
  rawHeaders: string[];
  body: string;
}

/** One HTTP request with full control of its headers (Host included), as node:http sends it. */
export function send(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; api?: boolean },
): Promise<RawResponse> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...(opts.api === false ? {} : { [CLIENT_HEADER]: '1' }), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

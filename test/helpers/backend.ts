import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface TestBackend {
  /** What to give the gateway's --backend. */
  target: string;
  /** Every request that reached the backend, in order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A real extension backend for tests, over TCP or a unix socket (the way
 * extensions expose theirs: vm.exposes.socket). Routes:
 * - `/echo…` any method: `{method, url, headers, body}` as JSON
 * - `/repeated`: `X-Tag: a` and `X-Tag: b`, and `Connection: keep-alive, X-Private` with `X-Private: 1`
 * - `/items` GET: a JSON array; `/text`: text/plain; `/empty`: 204
 * - `/status/<n>`: status n with body `{"message":"status n"}`
 * - `/big?bytes=n`: n bytes of text; `/hang`: never answers;
 * - `/half`: starts a body, then the connection dies; `/garbage`: not HTTP at all
 */
export async function startBackend(kind: 'tcp' | 'unix' = 'tcp'): Promise<TestBackend> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const url = new URL(req.url ?? '/', 'http://backend');
    const status = /^\/status\/(\d{3})$/.exec(url.pathname)?.[1];
    if (url.pathname.startsWith('/echo')) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'yes', 'set-cookie': 'session=1' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') }));
    } else if (url.pathname === '/repeated') {
      // A repeated header, and one that Connection names as hop-by-hop.
      res.writeHead(200, ['X-Tag', 'a', 'X-Tag', 'b', 'Connection', 'keep-alive, X-Private', 'X-Private', '1', 'Content-Length', '2']).end('ok');
    } else if (url.pathname === '/items') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]));
    } else if (url.pathname === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello, text');
    } else if (url.pathname === '/empty') {
      res.writeHead(204).end();
    } else if (status !== undefined) {
      res.writeHead(Number(status), { 'content-type': 'application/json' }).end(JSON.stringify({ message: `status ${status}` }));
    } else if (url.pathname === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(Number(url.searchParams.get('bytes') ?? 1024)));
    } else if (url.pathname === '/hang') {
      // never answers
    } else if (url.pathname === '/half') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('only part of it');
      setTimeout(() => res.destroy(), 20);
    } else if (url.pathname === '/garbage') {
      req.socket.end('this is not HTTP\r\n\r\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${url.pathname}`);
    }
  });
  let target: string;
  let dir: string | undefined;
  if (kind === 'unix') {
    dir = mkdtempSync(join(tmpdir(), 'ddshim-backend-'));
    const path = join(dir, 'backend.sock');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    target = `unix:${path}`;
  } else {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    target,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

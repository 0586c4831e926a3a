// Issue 7, faults: the extension's backend down, closing mid-response, hanging,
// returning garbage. Each gives the page a clear error of the gateway's own
// (x-ddshim-error, naming the backend) or, once the answer has started, a cut
// connection — never a truncated body that looks whole, never a retry.
// Covered elsewhere: a backend down at the start (502) and one that never
// answers (504) in test/gateway/service.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer } from 'node:http';
import { startTestGateway } from '../helpers/gateway.js';
import { NO_ENGINE } from '../e2e/no-engine.js';
import { head, rawRequest } from './support/raw.js';

type Behaviour = (socket: Socket, request: string) => void;

/** A backend whose every connection does what `behave` says once a request head has arrived. */
async function startScriptedBackend(): Promise<{ target: string; requests: string[]; behave: (b: Behaviour) => void; close(): Promise<void> }> {
  let behaviour: Behaviour = (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (c: Buffer) => {
      const first = !text.includes('\r\n\r\n');
      text += c.toString('latin1');
      if (first && text.includes('\r\n\r\n')) {
        requests.push(text.slice(0, text.indexOf('\r\n')));
        behaviour(socket, text);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    target: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behave: (b) => (behaviour = b),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('backend faults', () => {
  let backend: Awaited<ReturnType<typeof startScriptedBackend>>;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    backend = await startScriptedBackend();
    gateway = await startTestGateway({ backend: backend.target, engine: NO_ENGINE, backendTimeout: 700 });
  });
  afterAll(async () => {
    await gateway.close();
    await backend.close();
  });

  const get = (path = '/x', method = 'GET', body = '') =>
    rawRequest(gateway.port, head(`${method} /_dd/service${path} HTTP/1.1`, [`Host: 127.0.0.1:${gateway.port}`, 'x-ddshim-client: 1', ...(body ? [`Content-Length: ${body.length}`] : [])]) + body, 5_000);
  const errorOf = (body: string) => JSON.parse(body) as { error: { code: string; message: string } };

  it('closing mid-response (Content-Length): the client sees the connection cut short, not a whole body', async () => {
    backend.behave((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly part of it');
      setTimeout(() => socket.destroy(), 20);
    });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.body).toBe('only part of it');
    expect(res.closedByPeer).toBe(true);
  });

  it('closing mid-response (chunked): no terminating chunk, so the client knows it is cut', async () => {
    backend.behave((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      setTimeout(() => socket.destroy(), 20);
    });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body).toContain('hello');
    expect(res.body).not.toMatch(/\r\n0\r\n\r\n$/);
    expect(res.closedByPeer).toBe(true);
  });

  it('closing before any answer: 502 saying it hung up, once — a POST is not retried', async () => {
    backend.behave((socket) => socket.destroy());
    const before = backend.requests.length;
    const res = await get('/orders', 'POST', '{"n":1}');
    expect(res.status).toBe(502);
    expect(res.headers['x-ddshim-error']).toBe('backend-unreachable');
    expect(errorOf(res.body).error.message).toMatch(new RegExp(`${backend.target} closed the connection before it answered`));
    expect(backend.requests.length - before).toBe(1);
  });

  it('hanging after its headers: the answer is cut after --backend-timeout of silence', async () => {
    backend.behave((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nstarted'));
    const start = Date.now();
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body).toBe('started');
    expect(res.closedByPeer).toBe(true);
    // undici checks its timers coarsely (every ~0.5 s): "about 700 ms", not to the millisecond.
    expect(Date.now() - start).toBeGreaterThanOrEqual(300);
    expect(Date.now() - start).toBeLessThan(3_000);
  });

  it('hanging without reading: 504 backend-timeout, naming the backend', async () => {
    backend.behave(() => undefined);
    const res = await get();
    expect(res.status).toBe(504);
    expect(res.headers['x-ddshim-error']).toBe('backend-timeout');
    expect(errorOf(res.body).error.message).toContain(backend.target);
  });

  it.each([
    ['not HTTP at all', 'this is not HTTP\r\n\r\n'],
    ['an SSH banner', 'SSH-2.0-OpenSSH_9.6\r\n'],
    ['a bad status line', 'HTTP/1.1 OK\r\n\r\n'],
    ['a header with no colon', 'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'],
    ['Content-Length with Transfer-Encoding', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['two Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'],
  ])('returning garbage (%s): 502 saying it is not HTTP (regression: "not reachable: is it running?")', async (_, answer) => {
    backend.behave((socket) => socket.end(answer));
    const res = await get();
    expect(res.status).toBe(502);
    expect(res.headers['x-ddshim-error']).toBe('backend-unreachable');
    expect(errorOf(res.body).error.message).toContain(`${backend.target} answered with something that is not valid HTTP/1.1`);
  });

  it('returning garbage mid-body (a bad chunk): the answer is cut, not passed on as whole', async () => {
    backend.behave((socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nbad\r\n0\r\n\r\n'));
    const res = await get();
    // The head may or may not have left before the bad chunk arrived (it came in the same packet):
    // either way the connection is cut and nothing after the garbage is passed on.
    expect([0, 200]).toContain(res.status);
    expect(res.body).not.toContain('bad');
    expect(res.closedByPeer).toBe(true);
  });

  it('a client hanging up before the backend answers cancels the backend\'s request too, as nginx does (regression: held until --backend-timeout, and it kept a closing gateway waiting)', async () => {
    let closedAt = 0;
    backend.behave((socket) => socket.once('close', () => (closedAt = Date.now())));
    const slow = await startTestGateway({ backend: backend.target, engine: NO_ENGINE, backendTimeout: 60_000 });
    try {
      // rawRequest hangs up after 300 ms.
      const res = await rawRequest(slow.port, head('GET /_dd/service/slow HTTP/1.1', [`Host: 127.0.0.1:${slow.port}`, 'x-ddshim-client: 1']), 300);
      const hungUpAt = Date.now();
      expect(res.status).toBe(0);
      while (!closedAt && Date.now() - hungUpAt < 2_000) await new Promise((r) => setTimeout(r, 20));
      expect(closedAt).toBeGreaterThan(0);
      expect(closedAt - hungUpAt).toBeLessThan(1_000);
    } finally {
      const t = Date.now();
      await slow.close();
      expect(Date.now() - t).toBeLessThan(2_000);
    }
  });

  it('logs every one of these with the route and what went wrong', () => {
    expect(gateway.logs.some((l) => l.includes('not valid HTTP/1.1'))).toBe(true);
    expect(gateway.logs.some((l) => l.includes('closed the connection before it answered'))).toBe(true);
  });
});

describe('a backend that goes down and comes back', () => {
  it('answers 502 while it is down and works again once it is back, the gateway untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddshim-flap-'));
    const target = `unix:${join(dir, 'backend.sock')}`;
    let backend = await startBackendAt(target);
    const gateway = await startTestGateway({ backend: target, engine: NO_ENGINE });
    const call = () => rawRequest(gateway.port, head('GET /_dd/service/items HTTP/1.1', [`Host: 127.0.0.1:${gateway.port}`, 'x-ddshim-client: 1']));
    try {
      expect((await call()).status).toBe(200);
      await backend.close();
      const down = await call();
      expect(down.status).toBe(502);
      expect(down.headers['x-ddshim-error']).toBe('backend-unreachable');
      expect(JSON.parse(down.body).error.message).toContain(target);
      // Back on the same socket path.
      backend = await startBackendAt(target);
      expect((await call()).status).toBe(200);
    } finally {
      await gateway.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A minimal backend on a unix socket. */
async function startBackendAt(target: string): Promise<{ close(): Promise<void> }> {
  const server = createHttpServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
  await new Promise<void>((resolve) => server.listen(target.slice('unix:'.length), resolve));
  return {
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

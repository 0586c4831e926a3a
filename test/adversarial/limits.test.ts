// Issue 7, attack 8: size and time. Bodies over the limit (Content-Length and
// chunked) → 413; a slowloris header trickle → cut within the header timeout;
// 10,000 small requests in a burst and 500 concurrent connections → no crash,
// bounded memory (the gateway in a child process, so the figures are its own).
// 413 by Content-Length on the service route is in test/gateway/service.test.ts.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { NO_ENGINE } from '../e2e/no-engine.js';
import { figure, MiB, startChildGateway, type ChildGateway } from './support/child-gateway.js';
import { openRaw, rawRequest } from './support/raw.js';

const LIMIT = 64 * 1024;

/** A backend that records the raw bytes of each connection and never answers. */
async function startSilentBackend(): Promise<{ target: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const i = received.push('') - 1;
    sockets.add(socket);
    socket.on('data', (c: Buffer) => (received[i] += c.toString('latin1')));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    target: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('bodies over the limit', () => {
  let silent: Awaited<ReturnType<typeof startSilentBackend>>;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    silent = await startSilentBackend();
    gateway = await startTestGateway({ backend: silent.target, engine: NO_ENGINE, maxBody: LIMIT });
  });
  afterAll(async () => {
    await gateway.close();
    await silent.close();
  });

  const headOf = (path: string, framing: string, type = 'application/json') =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nx-ddshim-client: 1\r\nContent-Type: ${type}\r\n${framing}\r\n\r\n`;

  it.each(['/_dd/exec', '/_dd/spawn', '/_dd/service/upload'])('%s: 413 at once when Content-Length says too much, before any byte of the body', async (path) => {
    const res = await rawRequest(gateway.port, headOf(path, `Content-Length: ${10 * 1024 * 1024}`), 3_000);
    expect(res.status).toBe(413);
    expect(res.headers['x-ddshim-error']).toBe('payload-too-large');
    expect(JSON.parse(res.body.slice(0, res.body.lastIndexOf('}') + 1)).error.message).toContain('--max-body');
    // The body never comes: the connection is cut after the grace (regression: it was held open).
    expect(res.closedByPeer).toBe(true);
    expect(silent.received.length).toBe(0);
  });

  it.each(['/_dd/exec', '/_dd/spawn'])('%s: 413 for a chunked body as soon as it passes the limit', async (path) => {
    const socket = await openRaw(gateway.port);
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write(headOf(path, 'Transfer-Encoding: chunked'));
    const chunk = `${(8192).toString(16)}\r\n${'x'.repeat(8192)}\r\n`;
    for (let sent = 0; sent <= LIMIT + 8192 && !answer; sent += 8192) socket.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answer.startsWith('HTTP/1.1 413 ')).toBe(true);
    socket.destroy();
  });

  it('service: 413 for a chunked body past the limit; the backend never gets a whole request', async () => {
    const before = silent.received.length;
    const socket = await openRaw(gateway.port);
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write(headOf('/_dd/service/upload', 'Transfer-Encoding: chunked', 'application/octet-stream'));
    const chunk = `${(8192).toString(16)}\r\n${'y'.repeat(8192)}\r\n`;
    for (let i = 0; i < 12 && !answer; i++) {
      socket.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answer.startsWith('HTTP/1.1 413 ')).toBe(true);
    socket.destroy();
    // Streamed up to the limit, then cut: no terminating chunk ever reached the backend.
    const upstream = silent.received.slice(before).join('');
    expect(upstream.length).toBeLessThan(LIMIT + 8 * 1024);
    expect(upstream).not.toContain('\r\n0\r\n\r\n');
  });

  it('cuts a client that keeps sending after its 413 within a second or so (regression: Node read and dropped it forever)', async () => {
    const socket = await openRaw(gateway.port);
    let answer = '';
    let closedAt = 0;
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('error', () => undefined);
    socket.write(headOf('/_dd/exec', 'Transfer-Encoding: chunked'));
    const chunk = `1000\r\n${'z'.repeat(4096)}\r\n`;
    const start = Date.now();
    let sent = 0;
    while (!closedAt && Date.now() - start < 5_000) {
      if (!socket.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 5));
      sent += 4096;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(answer.startsWith('HTTP/1.1 413 ')).toBe(true);
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt - start).toBeLessThan(3_000);
    figure('413 then endless chunked body: connection cut after', `${closedAt - start} ms (${(sent / MiB).toFixed(1)} MiB offered)`);
  });
});

describe('slowloris', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    gateway = await startTestGateway({ engine: NO_ENGINE, headersTimeout: 1_000 });
  });
  afterAll(() => gateway.close());

  it('cuts 100 connections trickling their headers within the header timeout (+ Node\'s 1 s check), and keeps answering others meanwhile', async () => {
    const request = `GET /_dd/info HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nx-ddshim-client: 1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const start = Date.now();
    const closed: number[] = [];
    const sockets = await Promise.all(Array.from({ length: 100 }, () => openRaw(gateway.port)));
    let answers = '';
    for (const socket of sockets) {
      socket.on('close', () => closed.push(Date.now() - start));
      socket.on('error', () => undefined);
      socket.on('data', (c: Buffer) => (answers += c.toString('latin1')));
    }
    // One byte per connection every 100 ms: the whole head would take 25 s.
    let at = 0;
    const trickle = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write(request[at] ?? '');
      at++;
    }, 100);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const info = await rawRequest(gateway.port, `GET /_dd/info HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nx-ddshim-client: 1\r\nConnection: close\r\n\r\n`);
      expect(info.status).toBe(200);
      while (closed.length < 100 && Date.now() - start < 4_000) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      clearInterval(trickle);
      for (const s of sockets) s.destroy();
    }
    expect(closed.length).toBe(100);
    const last = Math.max(...closed);
    expect(last).toBeLessThan(3_000);
    // Node answers 408 before it closes.
    expect(answers).toContain('408 Request Timeout');
    figure('slowloris: 100 trickling connections, headersTimeout 1 s, all cut by', `${last} ms`);
  });
});

describe('a burst and a crowd, the gateway in its own process', () => {
  let backend: TestBackend;
  let gateway: ChildGateway;
  beforeAll(async () => {
    backend = await startBackend();
    gateway = await startChildGateway({ backend: backend.target, engine: { host: 'unix:///nonexistent/docker.sock' }, backendTimeout: 60_000 });
  });
  afterAll(async () => {
    await gateway?.stop();
    await backend?.close();
  });

  it('answers 10,000 small requests in a burst (100 at a time), memory bounded', async () => {
    const base = gateway.memory().rss;
    gateway.resetPeak();
    const pool = new Pool(gateway.url, { connections: 100 });
    const start = Date.now();
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (next < 10_000) {
          next++;
          const res = await pool.request({ path: next % 2 ? '/_dd/info' : '/_dd/service/items', method: 'GET', headers: { 'x-ddshim-client': '1' } });
          await res.body.dump();
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }
      }),
    );
    const ms = Date.now() - start;
    await pool.close();
    expect(Object.fromEntries(statuses)).toEqual({ 200: 10_000 });
    const { peak } = gateway.memory();
    figure('burst: 10,000 requests (half info, half proxied), 100 connections', `${ms} ms, gateway RSS ${(base / MiB).toFixed(0)} → peak ${(peak / MiB).toFixed(0)} MiB`);
    expect(peak - base).toBeLessThan(100 * MiB);
  });

  it('holds 500 concurrent connections with a request each, still answers others, and lets them all go', async () => {
    const base = gateway.memory().rss;
    gateway.resetPeak();
    const before = backend.seen.length;
    const sockets = await Promise.all(Array.from({ length: 500 }, () => openRaw(gateway.port)));
    let answered = 0;
    for (const s of sockets) {
      s.on('error', () => undefined);
      s.on('data', () => answered++);
      s.write(`GET /_dd/service/hang HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nx-ddshim-client: 1\r\n\r\n`);
    }
    // All 500 reached the backend and are held there (the backend hangs them).
    const deadline = Date.now() + 10_000;
    while (backend.seen.length - before < 500 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.seen.length - before).toBe(500);
    const t = Date.now();
    const info = await rawRequest(gateway.port, `GET /_dd/info HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nx-ddshim-client: 1\r\nConnection: close\r\n\r\n`);
    const infoMs = Date.now() - t;
    expect(info.status).toBe(200);
    expect(answered).toBe(0);
    const held = gateway.memory();
    for (const s of sockets) s.destroy();
    // The gateway lets the backend's 500 go when their clients do: one more proxied call then still works.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await rawRequest(gateway.port, `GET /_dd/service/items HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nx-ddshim-client: 1\r\nConnection: close\r\n\r\n`);
    expect(after.status).toBe(200);
    figure('crowd: 500 concurrent connections held at the backend', `requests held 500, /_dd/info answered in ${infoMs} ms meanwhile, gateway RSS ${(base / MiB).toFixed(0)} → peak ${(held.peak / MiB).toFixed(0)} MiB`);
    expect(held.peak - base).toBeLessThan(100 * MiB);
    expect(await Promise.race([gateway.exited.then(() => 'exited'), Promise.resolve('running')])).toBe('running');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_ERROR_HEADER } from '../../src/protocol.js';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { send, startTestGateway } from '../helpers/gateway.js';

// The service proxy against a real backend, over TCP and over a unix socket (issue 2).
describe.each(['tcp', 'unix'] as const)('service proxy over %s', (kind) => {
  let backend: TestBackend;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    backend = await startBackend(kind);
    gateway = await startTestGateway({ backend: backend.target, backendTimeout: 500, maxBody: 6 * 1024 * 1024 });
  });
  afterAll(async () => {
    await gateway.close();
    await backend.close();
  });

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('forwards %s with path, query, headers and body', async (method) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : '{"a":1}';
    const res = await send(gateway.port, {
      method,
      path: '/_dd/service/echo/x?q=1&r=a%20b',
      headers: { 'x-custom': 'yes', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body } : {}),
    });
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.body);
    expect(echo).toMatchObject({ method, url: '/echo/x?q=1&r=a%20b', body: body ?? '' });
    expect(echo.headers['x-custom']).toBe('yes');
    expect(res.headers['x-backend']).toBe('yes');
  });

  it('forwards HEAD', async () => {
    const res = await send(gateway.port, { method: 'HEAD', path: '/_dd/service/items' });
    expect(res.status).toBe(200);
    expect(backend.seen.at(-1)?.method).toBe('HEAD');
  });

  it.each([204, 404, 500, 502])('passes a backend %i through as the backend\'s, not the gateway\'s', async (status) => {
    const res = await send(gateway.port, { path: `/_dd/service/${status === 204 ? 'empty' : `status/${status}`}` });
    expect(res.status).toBe(status);
    expect(res.headers[GATEWAY_ERROR_HEADER]).toBeUndefined();
  });

  it('carries a 5 MiB body both ways', async () => {
    const big = 'y'.repeat(5 * 1024 * 1024);
    const up = await send(gateway.port, { method: 'POST', path: '/_dd/service/echo', headers: { 'content-type': 'text/plain' }, body: big });
    expect(JSON.parse(up.body).body.length).toBe(big.length);
    const down = await send(gateway.port, { path: `/_dd/service/big?bytes=${5 * 1024 * 1024}` });
    expect(down.body.length).toBe(5 * 1024 * 1024);
  });

  it('answers 413 for a body over --max-body, and forwards nothing', async () => {
    const before = backend.seen.length;
    const res = await send(gateway.port, { method: 'POST', path: '/_dd/service/echo', headers: { 'content-type': 'text/plain' }, body: 'z'.repeat(7 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.headers[GATEWAY_ERROR_HEADER]).toBe('payload-too-large');
    expect(backend.seen.length).toBe(before);
  });

  it('never forwards hop-by-hop headers, headers named in Connection, cookies or its own credentials', async () => {
    const res = await send(gateway.port, {
      path: '/_dd/service/echo',
      headers: { connection: 'keep-alive, x-secret-hop', 'x-secret-hop': '1', 'keep-alive': 'timeout=5', te: 'trailers', cookie: 'other-app=1', 'x-ddshim-token': 't', 'proxy-authorization': 'p' },
    });
    const seen = JSON.parse(res.body).headers as Record<string, string>;
    for (const name of ['x-secret-hop', 'keep-alive', 'te', 'cookie', 'x-ddshim-token', 'x-ddshim-client', 'proxy-authorization']) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('passes a repeated response header on as it came, and drops one the backend\'s Connection names', async () => {
    const res = await send(gateway.port, { path: '/_dd/service/repeated' });
    const pairs = [];
    for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    expect(pairs.filter((line) => line.startsWith('X-Tag'))).toEqual(['X-Tag: a', 'X-Tag: b']);
    expect(res.headers['x-private']).toBeUndefined();
    expect(res.body).toBe('ok');
  });

  it('times out hanging calls one by one while calls around them complete', async () => {
    const calls = [
      send(gateway.port, { path: '/_dd/service/hang' }),
      send(gateway.port, { path: '/_dd/service/items' }),
      send(gateway.port, { path: '/_dd/service/hang' }),
      send(gateway.port, { path: '/_dd/service/items' }),
      send(gateway.port, { path: '/_dd/service/hang' }),
    ];
    expect((await Promise.all(calls)).map((res) => res.status)).toEqual([504, 200, 504, 200, 504]);
    // The sweep still runs: a later hang times out too.
    expect((await send(gateway.port, { path: '/_dd/service/hang' })).status).toBe(504);
  });

  it('says the backend timed out, as a gateway error (504)', async () => {
    const res = await send(gateway.port, { path: '/_dd/service/hang' });
    expect(res.status).toBe(504);
    expect(res.headers[GATEWAY_ERROR_HEADER]).toBe('backend-timeout');
    expect(JSON.parse(res.body).error.message).toContain(backend.target);
  });

  it.each(['/../etc/passwd', '/%2e%2e/x', '/a%2Fb', '/a%5Cb', '/a\\b', '/a%00b'])('refuses the path trick %s without forwarding it', async (path) => {
    const before = backend.seen.length;
    const res = await send(gateway.port, { path: `/_dd/service${path}` });
    expect(res.status).toBe(400);
    expect(backend.seen.length).toBe(before);
  });
});

describe('service proxy with the backend down', () => {
  it('answers 502 backend-unreachable naming the backend', async () => {
    const backend = await startBackend('unix');
    const target = backend.target;
    await backend.close();
    const gateway = await startTestGateway({ backend: target });
    try {
      const res = await send(gateway.port, { path: '/_dd/service/items' });
      expect(res.status).toBe(502);
      expect(res.headers[GATEWAY_ERROR_HEADER]).toBe('backend-unreachable');
      expect(JSON.parse(res.body).error.message).toContain(target);
    } finally {
      await gateway.close();
    }
  });

  it('answers 502 no-backend when none is configured', async () => {
    const gateway = await startTestGateway();
    try {
      const res = await send(gateway.port, { path: '/_dd/service/items' });
      expect(res.status).toBe(502);
      expect(JSON.parse(res.body).error.message).toContain('--backend');
    } finally {
      await gateway.close();
    }
  });
});

describe('service proxy with an HTTP/1.0 backend', () => {
  // Regression (nodejs/undici#5360): a close-delimited body that ends while a slow page holds
  // the proxy back crashed the gateway with an uncatchable AssertionError under undici 7.
  it('delivers a close-delimited body whole to a slow reader, and lives on', async () => {
    const { createServer } = await import('node:net');
    const { request } = await import('node:http');
    const chunk = Buffer.alloc(64 * 1024, 97);
    const backend = createServer((sock) =>
      sock.once('data', () => {
        sock.write('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\n');
        let n = 0;
        const pump = (): void => {
          while (n < 400) {
            n++;
            if (!sock.write(chunk)) return void sock.once('drain', pump);
          }
          sock.end();
        };
        pump();
      }),
    );
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const gateway = await startTestGateway({ backend: `http://127.0.0.1:${(backend.address() as { port: number }).port}` });
    try {
      for (let round = 0; round < 6; round++) {
        const got = await new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: gateway.port, path: '/_dd/service/x', headers: { 'x-ddshim-client': '1' } }, (res) => {
            let total = 0;
            res.on('data', (c: Buffer) => {
              total += c.length;
              res.pause();
              setTimeout(() => res.resume(), 2);
            });
            res.on('end', () => resolve(total));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end();
        });
        expect(got).toBe(400 * chunk.length);
      }
      expect((await send(gateway.port, { path: '/_dd/info' })).status).toBe(200);
    } finally {
      await gateway.close();
      backend.close();
    }
  });
});

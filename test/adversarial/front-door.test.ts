// Issue 7, attacks 1, 3 and 4 over raw sockets: DNS rebinding (Host), origin
// allowlist bypasses, the token. The everyday cases are in
// test/gateway/security.test.ts; these are the tricks a raw socket can send
// and an HTTP client would not. Every refusal also shows that nothing reached
// the backend.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGuard } from '../../src/gateway/security.js';
import { GatewayError } from '../../src/gateway/errors.js';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { NO_ENGINE } from '../e2e/no-engine.js';
import { head, rawRequest } from './support/raw.js';

// Wraps the real timingSafeEqual so the token test can see every comparison.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const TOKEN = 'correct-horse-battery-staple-0123456789';

describe('the front door, over raw sockets', () => {
  let backend: TestBackend;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let tokenGateway: Awaited<ReturnType<typeof startTestGateway>>;
  let ui: string;
  beforeAll(async () => {
    ui = mkdtempSync(join(tmpdir(), 'ddshim-ui-'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
    backend = await startBackend();
    gateway = await startTestGateway({ backend: backend.target, uiDir: ui, engine: NO_ENGINE, allowOrigins: ['https://app.example.com'] });
    tokenGateway = await startTestGateway({ backend: backend.target, engine: NO_ENGINE, token: TOKEN });
  });
  afterAll(async () => {
    await gateway.close();
    await tokenGateway.close();
    await backend.close();
    rmSync(ui, { recursive: true, force: true });
  });

  const JSON_BODY = '{"target":"container","container":"ddshim-c","argv":["true"],"session":"sessionAAAA","id":"spawnAAAAAA"}';
  /** Every route the gateway has, as a request line and what it needs to be a well-formed call. */
  const ROUTES: Array<[string, string[], string]> = [
    ['GET /_dd/info HTTP/1.1', [], ''],
    ['POST /_dd/exec HTTP/1.1', ['Content-Type: application/json', `Content-Length: ${JSON_BODY.length}`], JSON_BODY],
    ['POST /_dd/spawn HTTP/1.1', ['Content-Type: application/json', `Content-Length: ${JSON_BODY.length}`], JSON_BODY],
    ['GET /_dd/spawn/events?session=sessionAAAA HTTP/1.1', [], ''],
    ['DELETE /_dd/spawn/spawnAAAAAA HTTP/1.1', [], ''],
    ['GET /_dd/docker/containers/json HTTP/1.1', [], ''],
    ['GET /_dd/service/echo HTTP/1.1', [], ''],
    ['POST /_dd/service/echo HTTP/1.1', ['Content-Type: text/plain', 'Content-Length: 2'], 'hi'],
    ['OPTIONS /_dd/exec HTTP/1.1', ['Access-Control-Request-Method: POST', 'Access-Control-Request-Headers: x-ddshim-client'], ''],
    ['GET /ddclient-shim.js HTTP/1.1', [], ''],
    ['GET /ddclient-shim.js.map HTTP/1.1', [], ''],
    ['GET / HTTP/1.1', [], ''],
    ['GET /index.html HTTP/1.1', [], ''],
  ];

  /** Sends `requestLine` with these headers (plus the client header) and checks the answer is `status`, with no CORS and no backend call. */
  const refused = async (port: number, requestLine: string, headers: string[], body: string, status: number) => {
    const before = backend.seen.length;
    const res = await rawRequest(port, head(requestLine, [...headers, 'x-ddshim-client: 1']) + body);
    expect(res.status, `${requestLine} ${headers.join(' | ')}`).toBe(status);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-ddshim-error']).toBe(status === 400 ? 'bad-request' : status === 401 ? 'forbidden' : 'forbidden');
    expect(backend.seen.length).toBe(before);
    return res;
  };

  describe('attack 1: DNS rebinding — a Host that is not this gateway is refused on every route', () => {
    const hosts = (port: number) => [
      'Host: evil.example',
      `Host: evil.example:${port}`,
      'Host: localhost:1',
      `Host: 127.0.0.1:${port}.evil.example`,
      `Host: 127.0.0.1:${port}@evil.example`,
      `Host: localhost.:${port}`,
      `Host: localhost:${port}:${port}`,
      `Host: [::ffff:127.0.0.1]:${port}`,
      `Host: 0.0.0.0:${port}`,
      `Host: 2130706433:${port}`,
      `Host: 127.0.0.1.nip.io:${port}`,
      'Host:',
    ];

    it.each(ROUTES)('%s → 403 for each of 12 foreign Hosts', async (requestLine, headers, body) => {
      for (const host of hosts(gateway.port)) {
        await refused(gateway.port, requestLine, [host, ...headers], body, 403);
      }
    });

    it('refuses a loopback Origin too when the Host is foreign (the rebinding page cannot borrow one)', async () => {
      await refused(gateway.port, 'GET /_dd/info HTTP/1.1', ['Host: evil.example', 'Origin: http://localhost:5173'], '', 403);
    });

    it('refuses HTTP/1.0 with no Host at all', async () => {
      const res = await rawRequest(gateway.port, 'GET /_dd/info HTTP/1.0\r\nx-ddshim-client: 1\r\n\r\n');
      expect(res.status).toBe(403);
    });

    it('refuses two Host headers with 400, whichever comes first (regression: Node kept the first)', async () => {
      for (const pair of [
        [`Host: 127.0.0.1:${gateway.port}`, 'Host: evil.example'],
        ['Host: evil.example', `Host: 127.0.0.1:${gateway.port}`],
        [`Host: 127.0.0.1:${gateway.port}`, `Host: 127.0.0.1:${gateway.port}`],
      ]) {
        await refused(gateway.port, 'GET /_dd/service/echo HTTP/1.1', pair, '', 400);
      }
    });

    it('logs each refusal with the Host it refused', () => {
      expect(gateway.logs.some((l) => l.includes('refused: Host "evil.example"'))).toBe(true);
      expect(gateway.logs.some((l) => l.includes(`refused: Host "localhost.:${gateway.port}"`))).toBe(true);
    });
  });

  describe('attack 3: origin allowlist bypasses', () => {
    // Beyond security.test.ts ("refuses Origin …": localhost.evil.example, evil.example/localhost, null, another port of the exact origin, http:// of it).
    const ORIGINS = [
      'http://127.0.0.1.evil.example',
      'http://localhost:5173.evil.example',
      'http://localhost@evil.example',
      'http://localhost:5173@evil.example',
      'http://evil.example#@localhost',
      'http://localhost%2eevil.example',
      'http://LOCALHOST:5173',
      'http://localhost:5173/',
      'http://localhost:5173/app',
      'https://localhost:5173',
      'ws://localhost:5173',
      'http://[::ffff:127.0.0.1]:5173',
      'http://0.0.0.0:5173',
      'http://127.1:5173',
      'http://2130706433',
      'file://',
      'chrome-extension://abcdefghijklmnop',
      'null',
      'https://app.example.com.evil.example',
      'https://evilapp.example.com',
      'https://sub.app.example.com',
      'https://app.example.co',
      'https://app.example.com:443',
      'https://APP.example.com',
      'https://app.example.com/',
    ];

    it.each(ORIGINS)('refuses Origin %s on the API, the preflight and the script', async (origin) => {
      const port = gateway.port;
      const host = `Host: 127.0.0.1:${port}`;
      await refused(port, 'GET /_dd/service/echo HTTP/1.1', [host, `Origin: ${origin}`], '', 403);
      await refused(port, 'POST /_dd/exec HTTP/1.1', [host, `Origin: ${origin}`, 'Content-Type: application/json', `Content-Length: ${JSON_BODY.length}`], JSON_BODY, 403);
      await refused(port, 'OPTIONS /_dd/spawn HTTP/1.1', [host, `Origin: ${origin}`, 'Access-Control-Request-Method: POST'], '', 403);
      await refused(port, 'GET /ddclient-shim.js HTTP/1.1', [host, `Origin: ${origin}`], '', 403);
      expect(gateway.logs.some((l) => l.includes(`Origin "${origin}" is not allowed`))).toBe(true);
    });

    it('refuses two Origin headers, an allowed one first (Node joins them into one that is no origin)', async () => {
      const port = gateway.port;
      await refused(port, 'GET /_dd/info HTTP/1.1', [`Host: 127.0.0.1:${port}`, 'Origin: http://localhost:5173', 'Origin: http://evil.example'], '', 403);
    });

    it.each(['http://localhost.evil.example/', 'http://localhost:5173@evil.example/', 'http://evil.example/?http://localhost:5173/', 'https://app.example.com.evil.example/'])(
      'refuses the script to a page whose Referer is %s',
      async (referer) => {
        await refused(gateway.port, 'GET /ddclient-shim.js HTTP/1.1', [`Host: 127.0.0.1:${gateway.port}`, `Referer: ${referer}`], '', 403);
      },
    );

    it('still allows the exact origin and loopback ones (the control)', async () => {
      for (const origin of ['https://app.example.com', 'http://localhost:5173', 'http://127.0.0.1:3000']) {
        const res = await rawRequest(gateway.port, head('GET /_dd/service/echo HTTP/1.1', [`Host: 127.0.0.1:${gateway.port}`, `Origin: ${origin}`, 'x-ddshim-client: 1']));
        expect(res.status).toBe(200);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
      }
    });
  });

  describe('attack 4: the token', () => {
    // Missing, wrong, of another length and in the URL are in security.test.ts; these are the other places a token could be slipped in.
    const host = () => `Host: 127.0.0.1:${tokenGateway.port}`;
    it.each([
      ['empty', ['x-ddshim-token: ']],
      ['in a cookie', [`Cookie: x-ddshim-token=${TOKEN}`]],
      ['as a bearer token', [`Authorization: Bearer ${TOKEN}`]],
      ['sent twice (Node joins the two)', [`x-ddshim-token: ${TOKEN}`, `x-ddshim-token: ${TOKEN}`]],
      ['with one character changed at the end', [`x-ddshim-token: ${TOKEN.slice(0, -1)}X`]],
      ['as a prefix of the right one', [`x-ddshim-token: ${TOKEN.slice(0, 10)}`]],
      ['with the right one as its prefix', [`x-ddshim-token: ${TOKEN}X`]],
      ['in another case', [`x-ddshim-token: ${TOKEN.toUpperCase()}`]],
    ])('refuses a token %s with 401', async (_, headers) => {
      await refused(tokenGateway.port, 'GET /_dd/service/echo HTTP/1.1', [host(), ...headers], '', 401);
    });

    it('refuses the right token in the query of the stream route (an EventSource cannot send headers, and must not need to)', async () => {
      await refused(tokenGateway.port, `GET /_dd/spawn/events?session=sessionAAAA&x-ddshim-token=${TOKEN}&token=${TOKEN} HTTP/1.1`, [host()], '', 401);
    });

    it('never bakes the token into the served script', async () => {
      const res = await rawRequest(tokenGateway.port, head('GET /ddclient-shim.js HTTP/1.1', [host()]));
      expect(res.status).toBe(200);
      expect(res.raw).not.toContain(TOKEN);
    });

    it('takes the right one in its header (the control)', async () => {
      const res = await rawRequest(tokenGateway.port, head('GET /_dd/service/echo HTTP/1.1', [host(), 'x-ddshim-client: 1', `x-ddshim-token: ${TOKEN}`]));
      expect(res.status).toBe(200);
    });

    it('compares in constant time: every check is timingSafeEqual over two 32-byte SHA-256 digests, whatever the length or prefix given', () => {
      const spy = vi.mocked(crypto.timingSafeEqual);
      const guard = createGuard({ port: () => 1, bindHost: '127.0.0.1', allowOrigins: [], token: TOKEN });
      const given = ['', 'x', TOKEN.slice(0, -1), `${TOKEN.slice(0, -1)}X`, `X${TOKEN.slice(1)}`, 'y'.repeat(100_000), TOKEN];
      for (const token of given) {
        spy.mockClear();
        const req = { headers: { 'x-ddshim-client': '1', 'x-ddshim-token': token } } as unknown as IncomingMessage;
        const outcome = (() => {
          try {
            guard.checkApiCall(req);
            return 'taken';
          } catch (err) {
            expect(err).toBeInstanceOf(GatewayError);
            return 'refused';
          }
        })();
        expect(outcome).toBe(token === TOKEN ? 'taken' : 'refused');
        // One comparison, no shortcut before it (a length check would leak the length).
        expect(spy).toHaveBeenCalledTimes(1);
        const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
        expect([a.length, b.length]).toEqual([32, 32]);
      }
    });
  });
});

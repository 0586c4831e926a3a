// Issue 7, attacks 5, 6 and 7 over raw sockets: request-target and path tricks
// (fetch and node:http would normalise them before sending), header tricks, and
// malformed HTTP. Each refusal shows the backend saw nothing; what is passed
// on shows the backend saw exactly what was asked, under the service prefix.
// The everyday path and header cases are in test/gateway/service.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { NO_ENGINE } from '../e2e/no-engine.js';
import { head, rawRequest } from './support/raw.js';

describe('request targets, headers and malformed HTTP, over raw sockets', () => {
  let backend: TestBackend;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    backend = await startBackend();
    gateway = await startTestGateway({ backend: backend.target, engine: NO_ENGINE });
  });
  afterAll(async () => {
    await gateway.close();
    await backend.close();
  });

  const host = () => `Host: 127.0.0.1:${gateway.port}`;
  const call = (requestLine: string, headers: string[] = [], body = '') => rawRequest(gateway.port, head(requestLine, [host(), 'x-ddshim-client: 1', ...headers]) + body);
  /** Sends it and checks it was refused with `status` before anything reached the backend. */
  const refused = async (requestLine: string, headers: string[] = [], body = '', status = 400) => {
    const before = backend.seen.length;
    const res = await call(requestLine, headers, body);
    expect(res.status, requestLine).toBe(status);
    expect(backend.seen.length, `${requestLine} reached the backend`).toBe(before);
    return res;
  };

  describe('attack 5: path tricks never reach a backend path outside the service prefix', () => {
    it.each([
      '/..',
      '/../_dd/exec',
      '/a/../../x',
      '/%2e%2e/x',
      '/%2E%2e/x',
      '/.%2e/x',
      '/%2e/x',
      '/./x',
      '/..;/x',
      '/%2e%2e;jsessionid=1/x',
      '/a%2Fb',
      '/a%2f..%2fb',
      '/a%5Cb',
      '/a\\b',
      '/..\\x',
      '/a%23b',
      '/a%00b',
      '/a%0d%0aX-Injected:%201',
      '/a%7f',
      '/%c0%ae%c0%ae/x',
      '/%e0%80%ae%e0%80%ae/x',
      '/a%zz',
      '//evil.example/x',
      '//echo',
    ])('refuses /_dd/service%s with 400', async (path) => {
      const res = await refused(`GET /_dd/service${path} HTTP/1.1`);
      expect(res.headers['x-ddshim-error']).toBe('bad-request');
    });

    it('refuses a raw "#" in the target (a fragment is never sent by a client; here it would cut the path)', async () => {
      await refused('GET /_dd/service/echo#/../../x HTTP/1.1');
    });

    it('refuses a raw NUL, space, CR or non-token byte in the target (Node\'s parser)', async () => {
      for (const target of ['/_dd/service/a\0b', '/_dd/service/a b', '/_dd/service/a\rb', '/_dd/service/a\x7fb']) {
        await refused(`GET ${target} HTTP/1.1`);
      }
    });

    it('takes only origin-form targets: absolute-form is refused, whatever authority it names', async () => {
      const port = gateway.port;
      const backendPort = new URL(backend.target).port;
      for (const target of [`http://127.0.0.1:${port}/_dd/service/echo`, `http://127.0.0.1:${backendPort}/echo`, 'http://evil.example/_dd/info', `https://127.0.0.1:${port}/_dd/info`]) {
        await refused(`GET ${target} HTTP/1.1`);
      }
    });

    it('takes no authority-form (CONNECT) or asterisk-form target', async () => {
      const before = backend.seen.length;
      const backendPort = new URL(backend.target).port;
      // No 'connect' listener: Node closes the connection, nothing is tunnelled.
      const connect = await rawRequest(gateway.port, `CONNECT 127.0.0.1:${backendPort} HTTP/1.1\r\n${host()}\r\nx-ddshim-client: 1\r\n\r\n`);
      expect(connect.status).toBe(0);
      expect(connect.closedByPeer).toBe(true);
      await refused('OPTIONS * HTTP/1.1');
      expect(backend.seen.length).toBe(before);
    });

    it('does not reach another gateway route from the service prefix', async () => {
      // /_dd/service/../exec would be the exec route after normalising: it is refused, not run (no engine error).
      const res = await refused('POST /_dd/service/../exec HTTP/1.1', ['Content-Type: application/json', 'Content-Length: 49'], '{"target":"container","container":"c","argv":["id"]}'.slice(0, 49));
      expect(res.body).not.toContain('engine');
      expect((await refused('GET /_dd/service%2F..%2Finfo HTTP/1.1', [], '', 404)).headers['x-ddshim-error']).toBe('not-found');
    });

    // Regression: "%2F" and "%23" were refused anywhere, the query included, where they are how a value carries "/" and "#".
    it('passes what is not ambiguous exactly as asked, under the backend\'s root, encoded "/" and "#" in the query included', async () => {
      for (const path of ['/echo/%252e%252e/x', '/echo/a;b=c', '/echo/%C3%A9t%C3%A9', '/echo/..a/a..', '/echo?path=../../etc/passwd&dir=%2Fvar%2Flib&tag=%23a', '/echo/caf%C3%A9?q=%0a']) {
        const res = await call(`GET /_dd/service${path} HTTP/1.1`);
        expect(res.status, path).toBe(200);
        expect(backend.seen.at(-1)?.url).toBe(path);
      }
    });

    it('refuses the same tricks in an Engine API read, but takes an encoded image name', async () => {
      for (const path of ['containers/%2e%2e/json', 'images/a%2F..%2F..%2Fexec%2Fx/json', 'images/..%2Fx/json', 'containers/a%5Cb/json', 'volumes/%00']) {
        const res = await call(`GET /_dd/docker/${path} HTTP/1.1`);
        expect(res.status, path).toBe(400);
      }
      // acme/hello is one segment to the engine: it passes the check and goes to the (absent) engine.
      expect((await call('GET /_dd/docker/images/acme%2Fhello%3A1.0/json HTTP/1.1')).headers['x-ddshim-error']).toBe('engine-unreachable');
    });
  });

  describe('attack 6: header tricks', () => {
    it.each([
      ['a bare CR in a value', 'X-A: 1\rX-Injected: yes'],
      ['a bare LF in a value', 'X-A: 1\nX-Injected: yes'],
      ['an obsolete line folding', 'X-A: 1\r\n X-Injected: yes'],
      ['a NUL in a value', 'X-A: 1\0X-Injected: yes'],
      ['a space in a name', 'X A: 1'],
      ['a line with no colon', 'X-Injected yes'],
    ])('refuses %s with 400, nothing forwarded', async (_, line) => {
      await refused('GET /_dd/service/echo HTTP/1.1', [line]);
    });

    it('forwards none of the hop-by-hop headers, those named in Connection, or the gateway\'s own', async () => {
      const res = await call('POST /_dd/service/echo HTTP/1.1', [
        'Connection: keep-alive, X-Named-Hop, Authorization',
        'X-Named-Hop: 1',
        'Authorization: Basic c2VjcmV0',
        'Keep-Alive: timeout=600',
        'Proxy-Connection: keep-alive',
        'Proxy-Authorization: Basic c2VjcmV0',
        'TE: trailers',
        'Trailer: X-Late',
        'Upgrade: h2c',
        'X-DDShim-Token: leaked',
        'X-Ddshim-Anything: leaked',
        'Cookie: other-app=1',
        'Origin: http://localhost:5173',
        'Referer: http://localhost:5173/secret-page',
        'Sec-Fetch-Site: same-site',
        'Content-Type: text/plain',
        'Transfer-Encoding: chunked',
      ], '5\r\nhello\r\n0\r\n\r\n');
      expect(res.status).toBe(200);
      const seen = backend.seen.at(-1)!;
      expect(seen.body.toString()).toBe('hello');
      for (const name of ['x-named-hop', 'authorization', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'x-ddshim-token', 'x-ddshim-anything', 'x-ddshim-client', 'cookie', 'origin', 'referer', 'sec-fetch-site']) {
        expect(seen.headers[name], name).toBeUndefined();
      }
      expect(seen.headers.host).toBe(new URL(backend.target).host);
    });

    it('answers Expect: 100-continue itself and forwards the call without it (regression: undici refused it, 502)', async () => {
      const res = await call('POST /_dd/service/echo HTTP/1.1', ['Expect: 100-continue', 'Content-Type: text/plain', 'Content-Length: 5'], 'hello');
      expect(res.raw.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK')).toBe(true);
      expect(backend.seen.at(-1)?.body.toString()).toBe('hello');
      expect(backend.seen.at(-1)?.headers.expect).toBeUndefined();
    });

    it('forwards an Upgrade request as a plain request: no tunnel to the backend', async () => {
      const res = await call('GET /_dd/service/echo HTTP/1.1', ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13']);
      expect(res.status).toBe(200);
      expect(backend.seen.at(-1)?.headers.upgrade).toBeUndefined();
      expect(backend.seen.at(-1)?.headers['sec-websocket-key']).toBeUndefined();
    });

    describe('from the backend', () => {
      let spoof: Server;
      let spoofGateway: Awaited<ReturnType<typeof startTestGateway>>;
      beforeAll(async () => {
        spoof = createServer((_, res) => {
          res.writeHead(502, {
            'content-type': 'application/json',
            'x-ddshim-error': 'backend-unreachable',
            'access-control-allow-origin': '*',
            'access-control-allow-credentials': 'true',
            'set-cookie': 'session=stolen; Path=/',
            connection: 'x-hop-out',
            'x-hop-out': '1',
            'x-backend': 'kept',
          });
          res.end('{"message":"the backend\'s own 502"}');
        });
        await new Promise<void>((resolve) => spoof.listen(0, '127.0.0.1', resolve));
        spoofGateway = await startTestGateway({ backend: `http://127.0.0.1:${(spoof.address() as AddressInfo).port}`, engine: NO_ENGINE });
      });
      afterAll(async () => {
        await spoofGateway.close();
        spoof.closeAllConnections();
        await new Promise((resolve) => spoof.close(resolve));
      });

      it('cannot pass its answer off as the gateway\'s own error, set cookies, or widen CORS (regression)', async () => {
        const res = await rawRequest(spoofGateway.port, head('GET /_dd/service/x HTTP/1.1', [`Host: 127.0.0.1:${spoofGateway.port}`, 'x-ddshim-client: 1', 'Origin: http://localhost:5173']));
        expect(res.status).toBe(502);
        expect(res.body).toContain("the backend's own 502");
        expect(res.headers['x-ddshim-error']).toBeUndefined();
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['x-hop-out']).toBeUndefined();
        // CORS is the gateway's: the allowed origin, never the backend's "*" or credentials.
        expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
        expect(res.headers['x-backend']).toBe('kept');
      });
    });
  });

  describe('attack 7: malformed HTTP is refused with 400 by the parser, nothing forwarded', () => {
    const post = 'POST /_dd/service/echo HTTP/1.1';
    it.each([
      ['Content-Length with Transfer-Encoding', ['Content-Length: 5', 'Transfer-Encoding: chunked'], '0\r\n\r\n'],
      ['Transfer-Encoding with Content-Length', ['Transfer-Encoding: chunked', 'Content-Length: 5'], '0\r\n\r\n'],
      ['two different Content-Lengths', ['Content-Length: 5', 'Content-Length: 6'], 'hello!'],
      ['two equal Content-Lengths', ['Content-Length: 5', 'Content-Length: 5'], 'hello'],
      ['a list in Content-Length', ['Content-Length: 5, 5'], 'hello'],
      ['a space before the colon (Content-Length)', ['Content-Length : 5'], 'hello'],
      ['a space before the colon (Transfer-Encoding)', ['Transfer-Encoding : chunked'], '0\r\n\r\n'],
      ['a negative Content-Length', ['Content-Length: -1'], ''],
      ['a hex Content-Length', ['Content-Length: 0x5'], 'hello'],
      ['a signed Content-Length', ['Content-Length: +5'], 'hello'],
      ['chunked not last', ['Transfer-Encoding: chunked, identity'], '0\r\n\r\n'],
      ['an unknown transfer coding', ['Transfer-Encoding: xchunked'], '0\r\n\r\n'],
      ['a bad chunk size', ['Transfer-Encoding: chunked'], 'zz\r\nhello\r\n0\r\n\r\n'],
      ['a chunk longer than its size', ['Transfer-Encoding: chunked'], '2\r\nhello\r\n0\r\n\r\n'],
    ])('%s', async (_, headers, body) => {
      await refused(post, headers, body);
    });

    it.each([
      ['an unknown method', 'BREW /_dd/service/echo HTTP/1.1'],
      ['a lower-case method', 'get /_dd/service/echo HTTP/1.1'],
      ['an unknown version', 'GET /_dd/service/echo HTTP/1.2'],
    ])('%s', async (_, line) => {
      await refused(line);
    });

    it('answers 431 to a header block over 16 KiB', async () => {
      await refused('GET /_dd/service/echo HTTP/1.1', [`X-Big: ${'a'.repeat(20_000)}`], '', 431);
    });

    it('a smuggled second request in a body stays the body (the backend sees one request)', async () => {
      const smuggled = 'GET /_dd/service/status/418 HTTP/1.1\r\nHost: x\r\n\r\n';
      const before = backend.seen.length;
      const res = await call(post, ['Content-Type: text/plain', `Content-Length: ${smuggled.length}`], smuggled);
      expect(res.status).toBe(200);
      expect(backend.seen.length).toBe(before + 1);
      expect(backend.seen.at(-1)?.body.toString()).toBe(smuggled);
    });
  });
});

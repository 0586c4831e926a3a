// @vitest-environment happy-dom
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { install } from '../../src/shim/index.js';
import type { DockerDesktopClient } from '../../src/shim/client.js';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

// The seven HTTP methods of BackendV0 (DDCLIENT-SEMANTICS §2.1), in a DOM,
// through axios and a real gateway to a real backend.
let backend: TestBackend;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let dd: DockerDesktopClient;

beforeAll(async () => {
  backend = await startBackend('unix');
  gateway = await startTestGateway({ backend: backend.target, extensionImage: 'acme/ext:1.0' });
});
afterAll(async () => {
  await gateway.close();
  await backend.close();
});
beforeEach(() => {
  delete window.ddClient;
  dd = install({ gateway: gateway.url });
});

describe('backend HTTP methods', () => {
  it('get resolves parsed JSON', async () => {
    await expect(dd.backend.get('/items')).resolves.toEqual([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
  });

  it('get resolves text when the body is not JSON', async () => {
    await expect(dd.backend.get('/text')).resolves.toBe('hello, text');
  });

  it('passes the query string through', async () => {
    const echo = (await dd.backend.get('/echo?a=1&b=two%20words')) as { url: string };
    expect(echo.url).toBe('/echo?a=1&b=two%20words');
  });

  it.each(['post', 'put', 'patch'] as const)('%s sends an object as JSON', async (method) => {
    const echo = (await dd.backend[method]('/echo', { name: 'x', n: 1 })) as { method: string; body: string; headers: Record<string, string> };
    expect(echo.method).toBe(method.toUpperCase());
    expect(JSON.parse(echo.body)).toEqual({ name: 'x', n: 1 });
    expect(echo.headers['content-type']).toMatch(/^application\/json/);
  });

  it('post sends a string as it is', async () => {
    const echo = (await dd.backend.post('/echo', 'plain words')) as { body: string; headers: Record<string, string> };
    expect(echo.body).toBe('plain words');
    expect(echo.headers['content-type'] ?? '').not.toMatch(/json/);
  });

  it('delete and head send no body', async () => {
    const echo = (await dd.backend.delete('/echo')) as { method: string; body: string };
    expect(echo).toMatchObject({ method: 'DELETE', body: '' });
    await expect(dd.backend.head('/items')).resolves.toBe('');
    expect(backend.seen.at(-1)?.method).toBe('HEAD');
  });

  it('request passes method, headers and data', async () => {
    const echo = (await dd.backend.request({ url: '/echo/r', method: 'put', headers: { 'x-extension': 'mine' }, data: { a: [1] } })) as {
      method: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echo.method).toBe('PUT');
    expect(echo.headers['x-extension']).toBe('mine');
    expect(JSON.parse(echo.body)).toEqual({ a: [1] });
  });

  it('resolves the body of a 204 as an empty string', async () => {
    await expect(dd.backend.get('/empty')).resolves.toBe('');
  });

  it('rejects a non-2xx with {name, message: body text, statusCode}', async () => {
    const err = await dd.backend.get('/status/404').catch((e: unknown) => e);
    expect(err).toEqual({ name: 'Not Found', message: '{"message":"status 404"}', statusCode: 404 });
    expect(JSON.parse((err as { message: string }).message).message).toBe('status 404');
    await expect(dd.backend.post('/status/500', {})).rejects.toMatchObject({ statusCode: 500, message: '{"message":"status 500"}' });
  });

  it('extension.vm.service is the same calls', async () => {
    await expect(dd.extension.vm.service.get('/items')).resolves.toHaveLength(2);
  });
});

describe('argument checks', () => {
  it.each([
    ['get(42)', () => dd.backend.get(42 as never), /backend\.get: "url" must be a string, got a number/],
    ['get()', () => dd.backend.get(undefined as never), /"url" must be a string/],
    ['post(null)', () => dd.backend.post(null as never, {}), /backend\.post: "url"/],
    ['request()', () => dd.backend.request(undefined as never), /backend\.request: "config" must be an object/],
    ['request without url', () => dd.backend.request({ method: 'GET' } as never), /backend\.request: "url" must be a string, got undefined/],
    ['request with a numeric method', () => dd.backend.request({ url: '/x', method: 5 } as never), /"config\.method" must be a string/],
    ['a full URL', () => dd.backend.get('http://evil.example/x'), /must be a path/],
  ])('%s throws a TypeError naming the argument', (_, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});

describe('gateway failures', () => {
  it('an unreachable gateway rejects naming its URL and the command that starts it', async () => {
    delete window.ddClient;
    const client = install({ gateway: 'http://127.0.0.1:9' });
    const err = (await client.backend.get('/items').catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('http://127.0.0.1:9');
    expect(err.message).toContain('npx ddclient-shim gateway');
  });

  it('a backend that is down rejects with the gateway\'s message, telling it from a backend 502', async () => {
    const down = await startBackend();
    const target = down.target;
    await down.close();
    const g = await startTestGateway({ backend: target });
    try {
      delete window.ddClient;
      const client = install({ gateway: g.url });
      const err = await client.backend.get('/items').catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'GatewayError', code: 'backend-unreachable', statusCode: 502 });
      expect((err as Error).message).toContain(target);
    } finally {
      await g.close();
    }
  });
});

describe('install', () => {
  it('never replaces a ddClient that is already there', () => {
    const existing = { backend: 'docker desktop' };
    window.ddClient = existing;
    expect(install({ gateway: gateway.url })).toBe(existing);
    expect(window.ddClient).toBe(existing);
  });

  it('host and extension.image are plain values, filled in from the gateway', async () => {
    expect(typeof dd.host.hostname).toBe('string');
    await expect.poll(() => dd.extension.image).toBe('acme/ext:1.0');
    expect(dd.host.platform).toBe(process.platform);
    expect(dd.host.arch).toBe(process.arch);
  });
});

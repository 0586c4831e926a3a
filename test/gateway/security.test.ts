import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_ERROR_HEADER } from '../../src/protocol.js';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { send, startTestGateway } from '../helpers/gateway.js';

// The front door (DESIGN.md, Security model; docs/security.md): each refusal
// also shows that the backend never saw the request.
describe('gateway security defaults', () => {
  let backend: TestBackend;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let tokenGateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    backend = await startBackend();
    gateway = await startTestGateway({ backend: backend.target, allowOrigins: ['https://app.example.com'] });
    tokenGateway = await startTestGateway({ backend: backend.target, token: 's3cret-token' });
  });
  afterAll(async () => {
    await gateway.close();
    await tokenGateway.close();
    await backend.close();
  });

  const untouched = async (req: Promise<{ status: number; headers: Record<string, unknown> }>, status: number) => {
    const before = backend.seen.length;
    const res = await req;
    expect(res.status).toBe(status);
    expect(backend.seen.length).toBe(before);
    return res;
  };

  it.each(['evil.example', 'evil.example:PORT', 'localhost.evil.example:PORT', '127.0.0.1:1', 'localhost', '127.0.0.1.nip.io:PORT'])(
    'refuses Host %s with 403 on every route (DNS rebinding)',
    async (host) => {
      const h = host.replace('PORT', String(gateway.port));
      for (const path of ['/_dd/service/items', '/_dd/info', '/ddclient-shim.js']) {
        await untouched(send(gateway.port, { path, headers: { host: h } }), 403);
      }
    },
  );

  it.each(['localhost', '127.0.0.1', '127.0.0.2', '[::1]'])('takes Host %s with the gateway\'s port', async (name) => {
    const res = await send(gateway.port, { path: '/_dd/service/items', headers: { host: `${name}:${gateway.port}` } });
    expect(res.status).toBe(200);
  });

  it.each(['http://evil.example', 'http://localhost.evil.example', 'http://evil.example/localhost', 'null', 'https://app.example.com:8443', 'http://app.example.com'])(
    'refuses Origin %s with 403 and no CORS headers',
    async (origin) => {
      const res = await untouched(send(gateway.port, { path: '/_dd/service/items', headers: { origin } }), 403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(gateway.logs.some((l) => l.includes(origin))).toBe(true);
    },
  );

  it.each(['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080', 'https://app.example.com'])('allows Origin %s, with CORS headers', async (origin) => {
    const res = await send(gateway.port, { path: '/_dd/service/items', headers: { origin } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
  });

  it('answers an allowed preflight, including Private Network Access', async () => {
    const res = await send(gateway.port, {
      method: 'OPTIONS',
      path: '/_dd/exec',
      api: false,
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-ddshim-client, content-type', 'access-control-request-private-network': 'true' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-headers']).toContain('x-ddshim-client');
    expect(res.headers['access-control-allow-private-network']).toBe('true');
  });

  it('refuses an API call without the client header (a cross-site form could not send it)', async () => {
    const res = await untouched(
      send(gateway.port, { method: 'POST', path: '/_dd/service/echo', api: false, headers: { 'content-type': 'text/plain' }, body: 'x' }),
      403,
    );
    expect(res.headers[GATEWAY_ERROR_HEADER]).toBe('forbidden');
  });

  it('starts nothing on GET: exec and spawn take POST only', async () => {
    expect((await send(gateway.port, { path: '/_dd/exec' })).status).toBe(405);
    expect((await send(gateway.port, { path: '/_dd/spawn' })).status).toBe(405);
  });

  it('takes JSON bodies only for exec', async () => {
    const res = await send(gateway.port, { method: 'POST', path: '/_dd/exec', headers: { 'content-type': 'text/plain' }, body: '{"target":"container"}' });
    expect(res.status).toBe(415);
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-ddshim-token': 's3cret-tokeX' }],
    ['of another length', { 'x-ddshim-token': 's3cret' }],
  ])('refuses a %s token with 401', async (_, headers) => {
    const before = backend.seen.length;
    const res = await send(tokenGateway.port, { path: '/_dd/service/items', headers: { host: `127.0.0.1:${tokenGateway.port}`, ...headers } });
    expect(res.status).toBe(401);
    expect(backend.seen.length).toBe(before);
  });

  it('refuses the right token in the URL instead of the header', async () => {
    const res = await send(tokenGateway.port, { path: '/_dd/service/items?token=s3cret-token&x-ddshim-token=s3cret-token', headers: { host: `127.0.0.1:${tokenGateway.port}` } });
    expect(res.status).toBe(401);
  });

  it('takes the right token in the header', async () => {
    const res = await send(tokenGateway.port, { path: '/_dd/service/items', headers: { host: `127.0.0.1:${tokenGateway.port}`, 'x-ddshim-token': 's3cret-token' } });
    expect(res.status).toBe(200);
  });

  // Issue 8: the script-tag shim imports its in-page UI and its spawn code from next to itself, which is here when we served it.
  it.each([
    ['in-page UI', '/ddclient-shim-ui.js', 'openDialog'],
    ['spawn code', '/ddclient-shim-spawn.js', 'createSpawnChannel'],
  ])('serves the %s module next to the script, as built, CORS-readable by an allowed page, refused to a foreign Referer', async (_, path, exported) => {
    const chunk = await send(gateway.port, { path, api: false, headers: { origin: 'http://localhost:5173', referer: 'http://localhost:5173/app.html' } });
    expect(chunk.status).toBe(200);
    expect(chunk.headers['content-type']).toMatch(/^text\/javascript/);
    expect(chunk.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(chunk.body).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${exported}\\b`));
    expect(chunk.body).toBe(readFileSync(`dist${path}`, 'utf8'));
    expect((await send(gateway.port, { path: `${path}.map`, api: false })).status).toBe(200);
    expect((await send(gateway.port, { path, api: false, headers: { referer: 'http://evil.example/' } })).status).toBe(403);
  });
});

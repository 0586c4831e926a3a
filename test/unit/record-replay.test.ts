// @vitest-environment happy-dom
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/protocol.js';
import { install, type DockerDesktopClient } from '../../src/shim/index.js';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

/** The same session of calls, whatever answers them; returns what the page saw. */
async function session(dd: DockerDesktopClient): Promise<unknown[]> {
  const settle = (p: Promise<unknown>) => p.then((v) => ['ok', JSON.parse(JSON.stringify(v))], (e: unknown) => ['err', JSON.parse(JSON.stringify(e)), (e as Error).message]);
  const seen: unknown[] = [];
  seen.push(await settle(dd.backend.get('/items')));
  seen.push(await settle(dd.backend.post('/echo/p', { name: 'x' }).then((r) => (r as { body: string }).body)));
  seen.push(await settle(dd.backend.get('/status/404')));
  seen.push(await settle(dd.execHostCmd('hello.sh one')));
  seen.push(await settle(dd.extension.host.cli.exec('hello.sh', ['fail'])));
  seen.push(
    await new Promise((done) => {
      const lines: string[] = [];
      dd.extension.host.cli.exec('lines.sh', [], { stream: { splitOutputLines: true, onOutput: (d) => lines.push(d.stdout ?? `!${d.stderr}`), onClose: (code) => done([lines, code]) } });
    }),
  );
  return seen;
}

// Record a session through a real gateway, then replay it with no gateway (issue 6).
describe('record and replay', () => {
  let backend: TestBackend;
  let dir: string;
  let live: unknown[];
  let fixture: Fixture;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ddshim-record-'));
    backend = await startBackend();
    const gateway = await startTestGateway({ backend: backend.target, hostDir: resolve('test/fixtures/host'), record: join(dir, 'session.json') });
    delete window.ddClient;
    live = await session(install({ gateway: gateway.url }));
    await gateway.close();
    fixture = JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as Fixture;
  });
  afterAll(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a readable fixture of every call, in order', () => {
    expect(fixture.version).toBe(1);
    expect(fixture.calls.map((c) => c.kind)).toEqual(['service', 'service', 'service', 'exec', 'exec', 'spawn']);
    expect(fixture.calls[1]).toMatchObject({ method: 'POST', url: '/echo/p', body: '{"name":"x"}', status: 200 });
    expect(fixture.calls[2]).toMatchObject({ status: 404, response: '{"message":"status 404"}' });
    const spawn = fixture.calls[5] as Extract<Fixture['calls'][number], { kind: 'spawn' }>;
    expect(spawn.output.length).toBeGreaterThan(2);
    expect(spawn.output.at(-1)!.at).toBeGreaterThan(spawn.output[0]!.at);
    expect(spawn.exit).toMatchObject({ code: 0 });
  });

  it('replays it with the same results the live page saw', async () => {
    delete window.ddClient;
    const replayed = await session(install({ replay: fixture, log: false }));
    expect(replayed).toEqual(live);
  });

  it('says clearly when a call is not in the fixture', async () => {
    delete window.ddClient;
    const dd = install({ replay: fixture, log: false });
    await expect(dd.backend.get('/never')).rejects.toThrow(/GET \/never is not in the fixture\. It has: service GET \/items/);
  });

  it('loads a fixture from a URL on first use', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(fixture)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      delete window.ddClient;
      const dd = install({ replay: `http://127.0.0.1:${(server.address() as { port: number }).port}/session.json`, log: false });
      await expect(dd.backend.get('/items')).resolves.toEqual([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
    } finally {
      server.close();
    }
  });
});

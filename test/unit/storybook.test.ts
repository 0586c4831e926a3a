// @vitest-environment happy-dom
// The Storybook decorator (issue 6), driven the way Storybook drives it: one
// page, stories rendered one after another through the decorator. The real
// Storybook build is test/e2e/storybook.test.ts.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { combineParameters } from 'storybook/preview-api';
import { describe, expect, it, vi } from 'vitest';
import type { Fixture } from '../../src/protocol.js';
import { ddClient, reply, withDdClient, type DdClientParameters } from '../../src/shim/storybook.js';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

/** Renders story `id` with these parameters, as Storybook does: the decorator, then the story. */
function render(id: string, ddClient?: DdClientParameters | null): void {
  withDdClient(() => 'rendered', { id, parameters: ddClient === undefined ? {} : { ddClient } });
}

const fixture: Fixture = {
  version: 1,
  calls: [
    { kind: 'service', method: 'GET', url: '/items', status: 200, response: ['first'] },
    { kind: 'service', method: 'GET', url: '/items', status: 200, response: ['second'] },
  ],
};

const longSpawn = { mock: { spawn: [{ target: 'vm' as const, argv: ['tail', '-f', 'log'], script: [{ stdout: 'a\n' }, { after: 60_000, stdout: 'never\n' }] }] }, log: false };

/** Starts `tail -f log` through the V1 API; resolves what onClose got, with the lines seen so far. */
function tail() {
  const lines: string[] = [];
  const closed = new Promise<number>((resolve) => {
    ddClient.extension.vm.cli.exec('tail', ['-f', 'log'], { stream: { splitOutputLines: true, onOutput: (d) => lines.push(d.stdout ?? ''), onClose: resolve } });
  });
  return { lines, closed };
}

describe('ddclient-shim/storybook', () => {
  it('installs window.ddClient on import, before any story renders', () => {
    expect(window.ddClient).toBe(ddClient);
    expect(typeof ddClient.extension.vm.service.get).toBe('function');
  });

  it('answers each story from its parameters, with the same client object', async () => {
    const captured = window.ddClient as typeof ddClient; // as `createDockerDesktopClient()` at module top level does
    render('a', { mock: { service: { 'GET /items': ['mocked'] } }, log: false });
    await expect(captured.extension.vm.service.get('/items')).resolves.toEqual(['mocked']);
    render('b', { replay: fixture, log: false });
    await expect(captured.extension.vm.service.get('/items')).resolves.toEqual(['first']);
    expect(window.ddClient).toBe(captured);
  });

  it('says what to add in a story without parameters', async () => {
    render('none');
    await expect(ddClient.extension.vm.service.get('/items')).rejects.toThrow(
      'ddclient-shim storybook: GET /items: no ddClient parameters for this story: add parameters.ddClient = { mock: ',
    );
    await expect(ddClient.extension.vm.cli.exec('ls', [])).rejects.toThrow(/exec ls: no ddClient parameters for this story/);
    render('empty', { log: true });
    await expect(ddClient.backend.get('/items')).rejects.toThrow(/parameters\.ddClient has none of mock, replay or gateway \(it has: log\)/);
  });

  it('starts each story afresh, and keeps its state across re-renders of the same story', async () => {
    const params = { replay: fixture, log: false };
    render('replayed', params);
    await expect(ddClient.backend.get('/items')).resolves.toEqual(['first']);
    render('replayed', params); // args changed: the same story renders again
    await expect(ddClient.backend.get('/items')).resolves.toEqual(['second']);
    render('other', { mock: {}, log: false });
    render('replayed', params);
    await expect(ddClient.backend.get('/items')).resolves.toEqual(['first']);
  });

  it('stops a spawn the previous story left running', async () => {
    render('spawning', longSpawn);
    const run = tail();
    await expect.poll(() => run.lines).toEqual(['a']);
    render('spawning', longSpawn); // a re-render leaves it running
    await new Promise((r) => setTimeout(r, 50));
    expect(await Promise.race([run.closed, 'running'])).toBe('running');
    render('next', { mock: {}, log: false });
    // Killed, as Docker Desktop reports a killed process: no exit code (DDCLIENT-SEMANTICS §2.3).
    await expect(run.closed).resolves.toBeNull();
  });

  it('forgets a process that ended, and stops one still running', async () => {
    render('short', { mock: { spawn: [{ target: 'vm', argv: ['tail', '-f', 'log'], script: [{ stdout: 'x\n' }], code: 3 }] }, log: false });
    await expect(tail().closed).resolves.toBe(3);
    render('long', longSpawn);
    const run = tail();
    await expect.poll(() => run.lines).toEqual(['a']);
    render('after', { mock: {}, log: false });
    await expect(run.closed).resolves.toBeNull();
  });

  it('calls a live gateway for a story with { gateway }, with its host info, and leaves it for the next story', async () => {
    const backend = await startBackend();
    const gateway = await startTestGateway({ backend: backend.target, hostDir: resolve('test/fixtures/host') });
    try {
      render('live', { gateway: gateway.url });
      await expect(ddClient.backend.get('/items')).resolves.toEqual([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
      await expect.poll(() => ddClient.host.hostname).toBe(hostname());
      const run = { lines: [] as string[], closed: undefined as Promise<number> | undefined };
      run.closed = new Promise((done) => {
        ddClient.extension.host.cli.exec('sleeper.sh', ['123456'], { stream: { onOutput: (d) => run.lines.push(d.stdout ?? ''), onClose: done } });
      });
      await expect.poll(() => run.lines.join('')).toContain('started');
      render('after-live', { mock: { service: { 'GET /items': ['mocked'] } }, log: false });
      await expect(run.closed).resolves.toBeNull(); // the real process, stopped
      expect(ddClient.host.hostname).toBe('unknown');
      await expect(ddClient.backend.get('/items')).resolves.toEqual(['mocked']);
    } finally {
      await gateway.close();
      await backend.close();
    }
  });

  it('keeps a reply() whole through Storybook merging preview, meta and story parameters', async () => {
    const merged = combineParameters(
      { ddClient: { mock: { service: { 'GET /items': reply(404, 'preview') } } } },
      { ddClient: { mock: { service: { 'GET /items': reply(500, { message: 'boom' }), 'GET /other': ['from the meta'] } } } },
    ) as { ddClient: DdClientParameters };
    render('merged', { ...merged.ddClient, log: false });
    await expect(ddClient.backend.get('/items')).rejects.toEqual({ name: 'Internal Server Error', message: '{"message":"boom"}', statusCode: 500 });
    await expect(ddClient.backend.get('/other')).resolves.toEqual(['from the meta']);
  });

  it('says how to keep a preview-head gateway it replaced', async () => {
    const tag = Object.assign(document.createElement('script'), { src: 'http://127.0.0.1:7777/ddclient-shim.js', type: 'text/plain' });
    document.head.append(tag);
    window.ddClient = { from: 'the script tag' };
    vi.resetModules();
    const fresh = await import('../../src/shim/storybook.js');
    expect(window.ddClient).toBe(fresh.ddClient);
    fresh.withDdClient(() => null, { id: 'plain', parameters: {} });
    await expect(fresh.ddClient.backend.get('/items')).rejects.toThrow(
      "The window.ddClient that was there (from http://127.0.0.1:7777/ddclient-shim.js) was replaced when ddclient-shim/storybook was imported: to call that gateway from every story, set parameters.ddClient = { gateway: 'http://127.0.0.1:7777' } in .storybook/preview.ts",
    );
    tag.remove();
  });

  // The decorator's bundle carries its own copy of the mock code: a reply() from the main entry must still count.
  it.skipIf(!existsSync('dist/storybook.js'))('takes a reply() made by the main entry (built dist/)', async () => {
    const main = (await import('../../dist/index.js' as string)) as typeof import('../../src/shim/index.js');
    const built = (await import('../../dist/storybook.js' as string)) as typeof import('../../src/shim/storybook.js');
    built.withDdClient(() => null, { id: 'cross', parameters: { ddClient: { mock: { service: { 'GET /x': main.reply(503, 'down') } }, log: false } } });
    await expect(built.ddClient.backend.get('/x')).rejects.toMatchObject({ statusCode: 503, message: 'down' });
  });
});

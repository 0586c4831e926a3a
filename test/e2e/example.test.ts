// The example extension (examples/hello-extension) in real Chromium, through a
// real gateway and the example's real backend (issue 4): every BackendV0
// method's visible result on the page.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumMissing, describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { describeWithDocker, dockerHost, psInContainer, VM_CONTAINER } from '../helpers/docker.js';
import { startTestGateway } from '../helpers/gateway.js';
import { EXAMPLE_UI, startExampleBackend } from './example-backend.js';
import { NO_ENGINE } from './no-engine.js';
import { startStaticServer } from './static-server.js';

const HTTP_DEMOS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'request'];
const CONTAINER_DEMOS = ['exec-container', 'exec-fail', 'exec-vm', 'spawn'];

let browser: Browser;
beforeAll(async () => {
  if (chromiumMissing() === undefined) browser = await launchChromium();
});
afterAll(() => browser?.close());

/** Opens the example page and waits for its first run of every demo to finish. */
async function openExample(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return page;
}

/** A page with the shim and not the example's app, for calls made by the test itself. */
async function openBare(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.route('**/app.js', (route) => route.abort());
  await page.goto(url);
  await page.waitForFunction(() => (window as any).ddClient !== undefined);
  return page;
}

const statusOf = (page: Page, id: string) => page.getAttribute(`[data-testid="${id}"]`, 'data-status');
const valueOf = (page: Page, id: string) => page.textContent(`[data-testid="${id}-value"]`);

describeWithChromium('example extension, no Docker engine reachable', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let backend: Awaited<ReturnType<typeof startExampleBackend>>;
  beforeAll(async () => {
    backend = await startExampleBackend();
    // An engine socket that does not exist: what a machine without Docker looks like.
    gateway = await startTestGateway({ uiDir: EXAMPLE_UI, backend: backend.target, vmContainer: 'ddshim-vm', engine: NO_ENGINE });
  });
  afterAll(async () => {
    await gateway?.close();
    await backend?.close();
  });

  it('shows every HTTP method working, and says in each container section that there is no engine', async () => {
    const page = await openExample(`${gateway.url}/`);
    for (const id of HTTP_DEMOS) expect(await statusOf(page, id), id).toBe('ok');
    for (const id of CONTAINER_DEMOS) {
      expect(await statusOf(page, id), id).toBe('no-engine');
      expect(await valueOf(page, id)).toContain('No Docker engine is reachable');
    }
    await page.close();
  });
});

describeWithChromium('example extension with a Docker engine', () => {
  describeWithDocker('every V0 method, live', () => {
    let gateway: Awaited<ReturnType<typeof startTestGateway>>;
    let backend: Awaited<ReturnType<typeof startExampleBackend>>;
    beforeAll(async () => {
      backend = await startExampleBackend();
      gateway = await startTestGateway({ uiDir: EXAMPLE_UI, backend: backend.target, vmContainer: VM_CONTAINER, engine: { host: dockerHost() } });
    });
    afterAll(async () => {
      await gateway?.close();
      await backend?.close();
    });

    it('shows every BackendV0 method’s result on the page', async () => {
      const page = await openExample(`${gateway.url}/?container=ddshim-c`);
      // The spawn card streams: its first line shows while the process still runs.
      await page.click('[data-testid="spawn"] button');
      await page.waitForFunction(() => document.querySelector('[data-testid="spawn-value"]')?.textContent?.includes('tick 1'));
      expect(await statusOf(page, 'spawn')).toBe('running');
      expect(await valueOf(page, 'spawn')).not.toContain('tick 3');
      await page.waitForSelector('[data-testid="spawn"][data-status="ok"]', { timeout: 10_000 });

      for (const id of [...HTTP_DEMOS, 'exec-container', 'exec-vm', 'spawn']) expect(await statusOf(page, id), id).toBe('ok');
      expect(JSON.parse((await valueOf(page, 'get')) ?? '')).toEqual([
        { id: 1, name: 'Write a Docker Desktop extension', done: true },
        { id: 2, name: 'Open its UI in a plain browser', done: false },
      ]);
      expect(await valueOf(page, 'patch')).toMatch(/"done":true/);
      expect(await valueOf(page, 'head')).toBe('(empty body)');
      expect(JSON.parse((await valueOf(page, 'request')) ?? '')).toEqual({ waitedMs: 300, requestedBy: 'hello-extension' });
      // A backend's error: the rejection's statusCode and its JSON message.
      expect(await statusOf(page, 'error')).toBe('error');
      expect(await valueOf(page, 'error')).toBe('statusCode 500\nmessage: something went wrong in the backend (on purpose)');
      // A non-zero exit rejects, with its output.
      expect(await statusOf(page, 'exec-fail')).toBe('error');
      expect(await valueOf(page, 'exec-fail')).toBe('exit code 3\nstdout: hi\n');
      expect(await valueOf(page, 'exec-container')).toMatch(/^exit code 0\nstdout: Linux /);
      expect(await valueOf(page, 'exec-vm')).toContain('bin');
      expect(await valueOf(page, 'spawn')).toBe('tick 1\ntick 2\ntick 3\n(exited with code 0)');

      // The README's picture, and a test artifact.
      mkdirSync('test-results', { recursive: true });
      mkdirSync('docs', { recursive: true });
      await page.mouse.move(0, 0); // no hover on the last clicked button
      await page.screenshot({ path: 'test-results/example-page.png', fullPage: true });
      await page.screenshot({ path: 'docs/screenshot.png', fullPage: true });
      await page.close();
    });

    it('rejects a non-zero exec with its code and output', async () => {
      const page = await openBare(`${gateway.url}/`);
      const rejection = await page.evaluate(() =>
        (window as any).ddClient.backend.execInContainer('ddshim-c', 'sh -c "echo hi; exit 3"').then(
          () => 'resolved',
          (err: any) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr, lines: err.lines() }),
        ),
      );
      expect(rejection).toEqual({ code: 3, stdout: 'hi\n', stderr: '', lines: ['hi', ''] });
      await page.close();
    });

    it('delivers spawn output as it is printed: a before b, then the exit', async () => {
      const page = await openBare(`${gateway.url}/`);
      await page.evaluate(() => {
        const w = window as any;
        w.spawnEvents = [];
        w.ddClient.backend.spawnInVMExtension('sh', ['-c', 'echo a; sleep 1; echo b'], (data: unknown, error: unknown) =>
          w.spawnEvents.push({ at: performance.now(), data, error: error === undefined ? undefined : String(error) }),
        );
      });
      const events = () => page.evaluate(() => (window as any).spawnEvents as Array<{ at: number; data: any; error?: string }>);
      await page.waitForFunction(() => (window as any).spawnEvents.some((e: any) => e.data?.stdout?.includes('a')));
      expect((await events()).some((e) => e.data?.stdout?.includes('b'))).toBe(false);
      await page.waitForFunction(() => (window as any).spawnEvents.some((e: any) => e.data?.close), undefined, { timeout: 10_000 });
      const all = await events();
      expect(all.map((e) => e.data)).toEqual([{ stdout: 'a\n' }, { stdout: 'b\n' }, { code: 0, close: true }]);
      expect(all[1]!.at - all[0]!.at).toBeGreaterThan(700);
      await page.close();
    });

    it('ends a running spawn inside the container when the page closes', async () => {
      const page = await openBare(`${gateway.url}/`);
      // A unique duration marks our process in `ps` (busybox sleep takes fractions).
      const marker = `1000.${Date.now()}`;
      await page.evaluate((m) => (window as any).ddClient.backend.spawnInVMExtension('sleep', [m], () => {}), marker);
      await expect.poll(psInVm, { timeout: 5_000 }).toContain(marker);
      await page.close();
      await expect.poll(psInVm, { timeout: 3_000, interval: 200 }).not.toContain(marker);
    });

    // Issue 8: the script-tag build loads its spawn code on a page's first spawn. A V1 stream closed
    // before it has loaded must never start its process, and still hear onClose (DDCLIENT-SEMANTICS §2.3).
    it('never starts a V1 stream closed before the spawn code loaded, and still calls onClose', async () => {
      const page = await openBare(`${gateway.url}/`);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
      const marker = `1000.${Date.now()}`;
      const outcome = await page.evaluate(
        (m) =>
          new Promise((resolve) => {
            const handle = (window as any).ddClient.extension.vm.cli.exec('sleep', [m], {
              stream: { onClose: (code: unknown) => resolve({ code }), onError: (err: unknown) => resolve({ error: String(err) }) },
            });
            handle.close();
          }),
        marker,
      );
      expect(outcome).toEqual({ code: null });
      // The module was still loaded (it was asked for), and nothing was started.
      await expect.poll(() => requests).toContain('GET /ddclient-shim-spawn.js');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await psInVm()).not.toContain(marker);
      expect(requests.filter((r) => r.startsWith('POST /_dd/spawn'))).toEqual([]);
      await page.close();
    });
  });
});

/**
 * Docker Desktop's side, approximated: its preload puts window.ddClient on the
 * page before any script runs, and the UI is served without our script (404).
 */
function desktopClient(): void {
  const w = window as any;
  const exec = (stdout: string, code = 0) => ({ cmd: 'x', killed: false, signal: null, code, stdout, stderr: '', lines: () => stdout.split('\n') });
  w.calls = [];
  const call = (name: string, value: unknown) => (...args: unknown[]) => {
    w.calls.push([name, ...args]);
    return Promise.resolve(value);
  };
  w.ddClient = {
    host: { platform: 'darwin', arch: 'arm64', hostname: 'desktop' },
    extension: { image: 'hello-extension:dev' },
    backend: {
      get: (url: string) => (url === '/error' ? Promise.reject({ name: 'Internal Server Error', message: '{"message":"from Docker Desktop"}', statusCode: 500 }) : call('get', [])(url)),
      post: call('post', { id: 3, name: 'x', done: false }),
      put: call('put', { id: 3, name: 'y', done: false }),
      patch: call('patch', { id: 3, name: 'y', done: true }),
      delete: call('delete', { deleted: 3 }),
      head: call('head', ''),
      request: call('request', { waitedMs: 300, requestedBy: 'hello-extension' }),
      execInContainer: (container: string, cmd: string) => {
        w.calls.push(['execInContainer', container, cmd]);
        return cmd.includes('exit 3') ? Promise.reject(exec('hi\n', 3)) : Promise.resolve(exec('Linux desktop\n'));
      },
      execInVMExtension: (cmd: string) => Promise.resolve(exec(cmd === 'hostname' ? 'a1b2c3\n' : 'backend\nui\n')),
      spawnInVMExtension: (_cmd: string, _args: string[], cb: (data: unknown, error?: unknown) => void) => {
        setTimeout(() => cb({ stdout: 'tick 1\n' }), 10);
        setTimeout(() => cb({ code: 0, close: true }), 20);
      },
    },
  };
}

describeWithChromium('example extension where Docker Desktop provides ddClient', () => {
  let site: Awaited<ReturnType<typeof startStaticServer>>;
  beforeAll(async () => {
    site = await startStaticServer({ dir: EXAMPLE_UI });
  });
  afterAll(() => site?.close());

  it('runs unchanged: the script tag 404s harmlessly and the page uses the ddClient it finds', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const statuses = new Map<string, number>();
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('response', (res) => statuses.set(new URL(res.url()).pathname, res.status()));
    await page.addInitScript(desktopClient);
    await page.goto(`${site.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(statuses.get('/ddclient-shim.js')).toBe(404);
    expect(errors).toEqual([]);
    for (const id of [...HTTP_DEMOS, 'exec-container', 'exec-vm', 'spawn']) expect(await statusOf(page, id), id).toBe('ok');
    expect(await valueOf(page, 'error')).toBe('statusCode 500\nmessage: from Docker Desktop');
    expect(await valueOf(page, 'exec-fail')).toBe('exit code 3\nstdout: hi\n');
    // With no ?container=, execInContainer targets the extension's own backend container.
    const calls = await page.evaluate(() => (window as any).calls as unknown[][]);
    expect(calls).toContainEqual(['execInContainer', 'a1b2c3', 'uname -a']);
    expect(await page.textContent('[data-testid="client-status"]')).toContain('host darwin/arm64 (desktop)');
    await page.close();
  });

  it('says so when there is no ddClient at all', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${site.url}/`);
    await expect.poll(() => page.textContent('[data-testid="client-status"]')).toContain('window.ddClient is not here');
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** The command lines running in the extension's backend container, seen with the docker CLI (not the client under test). */
const psInVm = async (): Promise<string> => (await psInContainer(VM_CONTAINER)).map((p) => p.args).join('\n');

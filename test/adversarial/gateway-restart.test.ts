// Issue 7, fault: the gateway restarted while a page is open. The gateway runs
// in a child process and is stopped for real (SIGTERM, as Ctrl-C or a
// supervisor would), then started again on the same port. In the page: every
// call in flight rejects with a clear error, a call while it is down says so,
// a later call works once it is back, and nothing is silently retried (the
// backend and the container count each command). Also: an exec whose caller
// hangs up is ended inside its container, not left to run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumMissing, describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { describeWithDocker, dockerHost, psInContainer, TEST_CONTAINER } from '../helpers/docker.js';
import { startTestGateway } from '../helpers/gateway.js';
import { figure, startChildGateway, type ChildGateway } from './support/child-gateway.js';
import { openRaw } from './support/raw.js';

const mark = () => String(100000 + Math.floor(Math.random() * 900000));
const running = async (m: string) => (await psInContainer(TEST_CONTAINER)).filter((p) => p.args.includes(m));
const ranTimes = async (file: string) => {
  const { execFile } = await import('node:child_process');
  return new Promise<number>((resolve) =>
    execFile('docker', ['exec', TEST_CONTAINER, 'sh', '-c', `cat ${file} 2>/dev/null | wc -l`], { env: { ...process.env, DOCKER_HOST: dockerHost() } }, (_, out) => resolve(Number(out.trim()))),
  );
};

async function gone(m: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await running(m)).length > 0) {
    if (Date.now() > deadline) throw new Error(`sleep …${m} still running after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describeWithChromium('the gateway restarted under an open page', () => {
  describeWithDocker('with a real engine and backend', () => {
    let browser: Browser;
    let backend: Server;
    let backendTarget: string;
    const hits = new Map<string, number>();
    let ui: string;
    let gateway: ChildGateway;
    beforeAll(async () => {
      backend = createServer((req, res) => {
        const path = req.url ?? '';
        hits.set(path, (hits.get(path) ?? 0) + 1);
        if (path === '/hang' || path === '/slow-post') return; // held until the connection goes
        res.writeHead(200, { 'content-type': 'application/json' }).end('[1,2]');
      });
      await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
      backendTarget = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
      ui = mkdtempSync(join(tmpdir(), 'ddshim-restart-'));
      writeFileSync(join(ui, 'index.html'), '<!doctype html><html><head><script src="/ddclient-shim.js"></script></head><body></body></html>');
      if (chromiumMissing() === undefined) browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await gateway?.stop();
      backend?.closeAllConnections();
      await new Promise((resolve) => backend?.close(resolve));
      rmSync(ui, { recursive: true, force: true });
    });

    const start = (port = 0) => startChildGateway({ port, backend: backendTarget, engine: { host: dockerHost() }, vmContainer: TEST_CONTAINER, uiDir: ui, backendTimeout: 120_000 });

    it('in-flight calls reject with a clear error, a call while it is down says so, later calls work, nothing is retried or left running', async () => {
      gateway = await start();
      const page: Page = await browser.newPage();
      await page.goto(`${gateway.url}/`);
      await page.waitForFunction(() => (window as any).ddClient !== undefined);
      const execMark = mark();
      const spawnMark = mark();
      const execLog = `/tmp/ddshim-restart-exec-${execMark}`;
      const spawnLog = `/tmp/ddshim-restart-spawn-${spawnMark}`;

      // Calls in flight: a GET and a POST held by the backend, an exec that sleeps, a spawn that ticks.
      await page.evaluate(
        ({ execScript, spawnScript }) => {
          const w = window as any;
          const settle = (name: string, p: Promise<unknown>) =>
            p.then(
              (v) => (w.outcomes[name] = { resolved: v }),
              (e) => (w.outcomes[name] = { rejected: e?.name ?? 'object', message: e?.message ?? JSON.stringify(e) }),
            );
          w.outcomes = {};
          w.spawnEvents = [];
          settle('get', w.ddClient.backend.get('/hang'));
          settle('post', w.ddClient.backend.post('/slow-post', { n: 1 }));
          // V1 exec joins its args into one command line (Docker Desktop's semantics): quote the script.
          settle('exec', w.ddClient.extension.vm.cli.exec('sh', ['-c', `'${execScript}'`]));
          w.ddClient.backend.spawnInVMExtension('sh', ['-c', spawnScript], (data: any, error: any) => w.spawnEvents.push(error ? { error: String(error?.message ?? error) } : data));
        },
        { execScript: `echo run >> ${execLog}; sleep 1000.${execMark}`, spawnScript: `echo run >> ${spawnLog}; while :; do echo tick; sleep 0.${spawnMark}; done` },
      );
      await page.waitForFunction(() => (window as any).spawnEvents.some((e: any) => e.stdout?.includes('tick')), undefined, { timeout: 15_000 });
      await expect.poll(() => running(execMark).then((r) => r.length), { timeout: 10_000 }).toBe(1);
      expect(hits.get('/hang')).toBe(1);
      expect(hits.get('/slow-post')).toBe(1);

      // Stop it for real.
      const port = gateway.port;
      await gateway.stop();
      expect(await gateway.exited).toBe(0);
      await page.waitForFunction(() => ['get', 'post', 'exec'].every((k) => (window as any).outcomes[k] !== undefined), undefined, { timeout: 10_000 });
      await page.waitForFunction(() => (window as any).spawnEvents.some((e: any) => e.error !== undefined || e.close), undefined, { timeout: 10_000 });
      const outcomes = await page.evaluate(() => (window as any).outcomes as Record<string, { resolved?: unknown; rejected?: string; message?: string }>);
      for (const name of ['get', 'post', 'exec']) {
        expect(outcomes[name]?.resolved, name).toBeUndefined();
        // The gateway went away mid-call, or (exec) answered that it was ending it: either way it says which gateway and what to do.
        expect(outcomes[name]?.message, name).toMatch(new RegExp(`gateway at http://127\\.0\\.0\\.1:${port} is not reachable|was ended: whoever asked for it went away`));
      }
      const spawnEnd = (await page.evaluate(() => (window as any).spawnEvents as any[])).find((e) => e.error !== undefined || e.close);
      figure('gateway restarted under a page: what the in-flight calls said', JSON.stringify({ ...Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [k, `${v.rejected}: ${v.message?.slice(0, 90)}…`])), spawn: spawnEnd }));
      // The gateway ended the process as it closed: the page sees its end (killed), or the stream lost.
      expect(spawnEnd.error ?? `closed with ${spawnEnd.signal ?? spawnEnd.code}`).toMatch(/closed with SIGTERM|closed with SIGKILL|lost the spawn stream|not reachable/);
      // Processes: the exec and the spawn were ended in the container as the gateway closed.
      await gone(execMark, 5_000);
      await gone(spawnMark, 5_000);

      // While it is down: a clear error at once.
      const down = await page.evaluate(() => (window as any).ddClient.backend.get('/items').then(() => 'resolved', (e: any) => `${e.name}: ${e.message}`));
      expect(down).toMatch(/^GatewayUnreachableError: .* is not reachable\. Start it with/);

      // Back on the same port: the page's next calls work, with no reload.
      gateway = await start(port);
      const later = await page.evaluate(async () => {
        const w = window as any;
        const items = await w.ddClient.backend.get('/items');
        const out = await new Promise((resolve) => {
          let text = '';
          w.ddClient.backend.spawnInVMExtension('echo', ['back'], (data: any, error: any) => {
            if (error) resolve(`error: ${error.message}`);
            if (data?.stdout) text += data.stdout;
            if (data?.close) resolve(text);
          });
        });
        const exec = await w.ddClient.extension.vm.cli.exec('echo', ['again']);
        return { items, out, exec: exec.stdout };
      });
      expect(later).toEqual({ items: [1, 2], out: 'back\n', exec: 'again\n' });

      // Nothing was retried: each command ran once, each held call reached the backend once.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(hits.get('/hang')).toBe(1);
      expect(hits.get('/slow-post')).toBe(1);
      expect(await ranTimes(execLog)).toBe(1);
      expect(await ranTimes(spawnLog)).toBe(1);
      await page.close();
    });
  });
});

describeWithDocker('an exec whose caller hangs up', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    gateway = await startTestGateway({ engine: { host: dockerHost() } });
  });
  afterAll(() => gateway?.close());

  it('is ended inside its container (regression: it ran on, unseen, until it finished by itself)', async () => {
    const m = mark();
    const body = JSON.stringify({ target: 'container', container: TEST_CONTAINER, argv: ['sleep', `1000.${m}`] });
    const socket = await openRaw(gateway.port);
    socket.on('error', () => undefined);
    socket.write(`POST /_dd/exec HTTP/1.1\r\nHost: 127.0.0.1:${gateway.port}\r\nx-ddshim-client: 1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await expect.poll(() => running(m).then((r) => r.length), { timeout: 10_000 }).toBe(1);
    socket.destroy();
    await gone(m, 5_000);
  });

  it('is ended when the gateway closes', async () => {
    const other = await startTestGateway({ engine: { host: dockerHost() } });
    const m = mark();
    const call = fetch(`${other.url}/_dd/exec`, { method: 'POST', headers: { 'x-ddshim-client': '1', 'content-type': 'application/json' }, body: JSON.stringify({ target: 'container', container: TEST_CONTAINER, argv: ['sleep', `1000.${m}`] }) }).then(
      (r) => r.status,
      () => 'cut',
    );
    await expect.poll(() => running(m).then((r) => r.length), { timeout: 10_000 }).toBe(1);
    await other.close();
    // close() returns once the process is gone.
    expect(await running(m)).toEqual([]);
    expect([503, 'cut']).toContain(await call);
  });
});

// How pages load the shim, in real Chromium (DDCLIENT-SEMANTICS §1, issue 4):
// the classic script tag installs window.ddClient before a Vite-style module
// or CRA-style defer script runs, from the gateway's origin or another one,
// and @docker/extension-api-client hands the app that same object.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { chromiumMissing, describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { startTestGateway } from '../helpers/gateway.js';
import { NO_ENGINE } from './no-engine.js';
import { startStaticServer } from './static-server.js';

/** What each app script records: whether ddClient was there, and its hostname, at the moment it ran. */
const RECORD = (who: string) =>
  `(window.seen ??= []).push({ who: ${JSON.stringify(who)}, get: typeof window.ddClient?.backend?.get, hostname: window.ddClient?.host?.hostname });`;

describeWithChromium('the script tag in Chromium', () => {
  let browser: Browser;
  let backend: TestBackend;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let ui: string;

  beforeAll(async () => {
    ui = mkdtempSync(join(tmpdir(), 'ddshim-pages-'));
    writeFileSync(
      join(ui, 'order.html'),
      `<!doctype html><html><head>
<script src="/ddclient-shim.js"></script>
<script>${RECORD('classic')}</script>
<script type="module">${RECORD('inline module')}</script>
<script type="module" src="module.js"></script>
<script defer src="defer.js"></script>
</head><body></body></html>`,
    );
    writeFileSync(join(ui, 'module.js'), RECORD('module'));
    writeFileSync(join(ui, 'defer.js'), RECORD('defer'));

    // An app as extension authors write it, bundled as Vite would: the client at module top level.
    const app = await esbuild.build({
      stdin: {
        contents: `import { createDockerDesktopClient } from '@docker/extension-api-client';
const client = createDockerDesktopClient();
window.result = { same: client === window.ddClient, hostname: client.host.hostname };
window.result.items = await client.backend.get('/items');`,
        resolveDir: process.cwd(),
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    writeFileSync(join(ui, 'app.js'), app.outputFiles[0]!.text);
    writeFileSync(join(ui, 'app.html'), `<!doctype html><html><head><script src="/ddclient-shim.js"></script><script type="module" src="app.js"></script></head><body></body></html>`);

    backend = await startBackend('tcp');
    gateway = await startTestGateway({ uiDir: ui, backend: backend.target, engine: NO_ENGINE });
    if (chromiumMissing() === undefined) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await backend?.close();
    rmSync(ui, { recursive: true, force: true });
  });

  const open = async (url: string): Promise<Page> => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(url);
    expect(errors).toEqual([]);
    return page;
  };

  it('installs window.ddClient, host info included, before classic, module and defer scripts run', async () => {
    const page = await open(`${gateway.url}/order.html`);
    await page.waitForFunction(() => (window as any).seen?.length === 4);
    const seen = await page.evaluate(() => (window as any).seen as Array<{ who: string }>);
    expect(seen.map((s) => s.who).sort()).toEqual(['classic', 'defer', 'inline module', 'module']);
    for (const s of seen) expect(s).toEqual({ who: s.who, get: 'function', hostname: hostname() });
    await page.close();
  });

  it('createDockerDesktopClient() from @docker/extension-api-client returns the shim’s client', async () => {
    const page = await open(`${gateway.url}/app.html`);
    await page.waitForFunction(() => (window as any).result?.items !== undefined);
    expect(await page.evaluate(() => (window as any).result)).toEqual({
      same: true,
      hostname: hostname(),
      items: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }],
    });
    await page.close();
  });

  it('works from a page of another origin that loads the script from the gateway (CORS preflights)', async () => {
    const site = await startStaticServer({
      files: {
        '/index.html': `<!doctype html><html><head>
<script src="${gateway.url}/ddclient-shim.js"></script>
<script type="module">
  const backend = window.ddClient.backend;
  const settle = (p) => p.then((value) => ({ value }), (e) => ({ error: { code: e.code, statusCode: e.statusCode, message: e.message } }));
  window.result = {
    items: await settle(backend.get('/items')),
    // JSON body + the shim's custom header: a preflighted POST.
    echo: await settle(backend.post('/echo', { hello: 'cross-origin' })),
    // The gateway's own error, told apart by a header CORS has to expose.
    exec: await settle(backend.execInContainer('ddshim-c', 'true')),
  };
  // The in-page UI, imported from next to the script: a module import across origins (issue 8).
  window.ddClient.desktopUI.toast.success('from another origin');
</script>
</head><body></body></html>`,
      },
    });
    try {
      const page = await open(`${site.url}/`);
      await page.waitForFunction(() => (window as any).result !== undefined);
      const result = await page.evaluate(() => (window as any).result);
      expect(result.items).toEqual({ value: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }] });
      expect(result.echo.value).toMatchObject({ method: 'POST', body: '{"hello":"cross-origin"}' });
      expect(result.exec.error).toMatchObject({ code: 'engine-unreachable' });
      await page.waitForSelector('[data-ddshim-toast="success"]:has-text("from another origin")');
      await page.close();
    } finally {
      await site.close();
    }
  });
});

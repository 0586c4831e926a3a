// Issue 7, attack 2, in real Chromium: a page of another site (http://evil.example:<port>,
// resolved to 127.0.0.1 by the browser, so a real foreign origin) tries every way a
// page can reach the gateway: fetch with and without no-cors, sendBeacon, <form>
// POSTs (urlencoded, multipart, text/plain), EventSource on the stream route, a
// WebSocket, <script src> of the served shim (with and without a Referer), an
// <iframe> of the API and of the gateway's UI, a sandboxed (null-origin) frame.
// None starts anything (no `sleep <marker>` in `ps`), none reads anything, and
// the gateway logs each refusal. A control runs the same page against a gateway
// that allows the origin, so Chromium's own checks cannot be what stopped it.
// Also: DNS rebinding in the browser (the attacker's origin switched to the
// gateway under the page), and CRLF in the headers a page passes to
// ddClient.backend.request (attack 6).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { chromiumMissing, describeWithChromium } from '../helpers/chromium.js';
import { describeWithDocker, dockerHost, psInContainer, TEST_CONTAINER } from '../helpers/docker.js';
import { startTestGateway } from '../helpers/gateway.js';
import { EVIL, launchWithEvilName, startSite } from './support/browser.js';

const mark = () => String(500000 + Math.floor(Math.random() * 400000));
const running = async (m: string) => (await psInContainer(TEST_CONTAINER)).filter((p) => p.args.includes(m)).map((p) => p.args);

/** The extension UI the gateway serves: on load it spawns `sleep <marker>` (as many extensions start something on load). */
const UI_PAGE = `<!doctype html><html><head><script src="/ddclient-shim.js"></script></head><body><script>
  const m = new URLSearchParams(location.search).get('m');
  if (m) window.ddClient.backend.spawnInVMExtension('sleep', [m], () => {});
</script></body></html>`;

/** The attacker's page: every way to reach the gateway, results in window.results, window.done at the end. */
function attackPage(gw: string, m: string, program: 'sleep' | 'echo'): string {
  return `<!doctype html><html><head></head><body><script>
const GW = ${JSON.stringify(gw)}, M = ${JSON.stringify(m)}, P = ${JSON.stringify(program)};
const cmd = (kind) => JSON.stringify({ target: 'container', container: ${JSON.stringify(TEST_CONTAINER)}, argv: [P, M], session: 'sessionEVIL0001', id: 'spawn' + kind + 'EVIL0001' });
const settle = (p) => p.then((r) => (r.type === 'opaque' ? 'opaque' : 'status ' + r.status), (e) => 'failed: ' + e.name);
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const r = (window.results = {});
const frame = (src, attrs = {}) => new Promise((resolve) => {
  const f = Object.assign(document.createElement('iframe'), attrs);
  if (src) f.src = src;
  f.onload = () => resolve('loaded');
  document.body.append(f);
  setTimeout(() => resolve('no load event'), 1500);
});
(async () => {
  r.corsInfo = await fetch(GW + '/_dd/info', { headers: { 'x-ddshim-client': '1' } }).then((x) => x.text(), (e) => 'failed: ' + e.name);
  r.corsInfoNoHeader = await fetch(GW + '/_dd/info').then((x) => x.text(), (e) => 'failed: ' + e.name);
  r.corsExec = await settle(fetch(GW + '/_dd/exec', { method: 'POST', headers: { 'x-ddshim-client': '1', 'content-type': 'application/json' }, body: cmd('a') }));
  r.corsSpawn = await settle(fetch(GW + '/_dd/spawn', { method: 'POST', headers: { 'x-ddshim-client': '1', 'content-type': 'application/json' }, body: cmd('b') }));
  r.corsService = await fetch(GW + '/_dd/service/echo', { headers: { 'x-ddshim-client': '1' } }).then((x) => x.text(), (e) => 'failed: ' + e.name);
  r.noCorsExec = await settle(fetch(GW + '/_dd/exec', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: cmd('c') }));
  r.noCorsExecHeader = await settle(fetch(GW + '/_dd/exec', { method: 'POST', mode: 'no-cors', headers: { 'x-ddshim-client': '1', 'content-type': 'text/plain' }, body: cmd('d') }));
  r.noCorsSpawn = await settle(fetch(GW + '/_dd/spawn', { method: 'POST', mode: 'no-cors', body: cmd('e') }));
  r.noCorsService = await settle(fetch(GW + '/_dd/service/echo', { method: 'POST', mode: 'no-cors', body: 'x' }));
  r.noCorsInfo = await settle(fetch(GW + '/_dd/info', { mode: 'no-cors' }));
  r.beacon = navigator.sendBeacon(GW + '/_dd/exec', cmd('f'));
  r.eventSource = await new Promise((resolve) => {
    const es = new EventSource(GW + '/_dd/spawn/events?session=sessionEVIL0001');
    es.onopen = () => (es.close(), resolve('open'));
    es.onerror = () => (es.close(), resolve('error'));
  });
  r.webSocket = await new Promise((resolve) => {
    const ws = new WebSocket(GW.replace('http:', 'ws:') + '/_dd/exec');
    ws.onopen = () => (ws.close(), resolve('open'));
    ws.onerror = () => resolve('error');
  });
  // Forms: each into its own hidden frame. text/plain with the classic JSON-in-a-name trick.
  const forms = [
    ['application/x-www-form-urlencoded', '/_dd/exec'], ['multipart/form-data', '/_dd/exec'], ['text/plain', '/_dd/exec'],
    ['application/x-www-form-urlencoded', '/_dd/spawn'], ['text/plain', '/_dd/spawn'], ['text/plain', '/_dd/service/echo'],
  ];
  forms.forEach(([enctype, action], i) => {
    const name = 'sink' + i;
    document.body.append(Object.assign(document.createElement('iframe'), { name }));
    const form = Object.assign(document.createElement('form'), { method: 'POST', action: GW + action, enctype, target: name });
    const input = Object.assign(document.createElement('input'), { type: 'hidden', name: cmd('g' + i).slice(0, -2) + ',"x":"', value: '"}' });
    form.append(input);
    document.body.append(form);
    form.submit();
  });
  r.frameApi = await frame(GW + '/_dd/info');
  r.frameUi = await frame(GW + '/?m=' + M);
  r.sandboxed = await new Promise((resolve) => {
    window.addEventListener('message', (e) => resolve(e.data), { once: true });
    frame(null, { sandbox: 'allow-scripts', srcdoc: '<script>fetch(' + JSON.stringify(GW + '/_dd/exec') + ', { method: "POST", headers: { "x-ddshim-client": "1", "content-type": "application/json" }, body: ' + JSON.stringify(cmd('h')) + ' }).then((x) => parent.postMessage("status " + x.status, "*"), (e) => parent.postMessage("failed: " + e.name, "*"));<\\/script>' });
  });
  // The served shim, as a page would include it: with a Referer (refused), then without one.
  r.script = await new Promise((resolve) => document.head.append(Object.assign(document.createElement('script'), { src: GW + '/ddclient-shim.js', onload: () => resolve('loaded'), onerror: () => resolve('error') })));
  r.scriptNoReferrer = await new Promise((resolve) => document.head.append(Object.assign(document.createElement('script'), { src: GW + '/ddclient-shim.js?again', referrerPolicy: 'no-referrer', onload: () => resolve('loaded'), onerror: () => resolve('error') })));
  if (window.ddClient) {
    await wait(300);
    r.shimHostname = window.ddClient.host?.hostname ?? null;
    r.shimExec = await window.ddClient.backend.execInContainer(${JSON.stringify(TEST_CONTAINER)}, P + ' ' + M).then(() => 'ran', (e) => 'rejected: ' + (e.message ?? JSON.stringify(e)));
    r.shimGet = await window.ddClient.backend.get('/echo').then((v) => 'read: ' + JSON.stringify(v), (e) => 'rejected');
  }
  await wait(500);
  window.done = true;
})();
</script></body></html>`;
}

describeWithChromium('a cross-site page against the gateway, in Chromium', () => {
  describeWithDocker('with a real engine, so anything started would show in ps', () => {
    let browser: Browser;
    let backend: TestBackend;
    let ui: string;
    let site: Awaited<ReturnType<typeof startSite>>;
    const pages = new Map<string, string>();
    beforeAll(async () => {
      ui = mkdtempSync(join(tmpdir(), 'ddshim-ui-'));
      writeFileSync(join(ui, 'index.html'), UI_PAGE);
      backend = await startBackend();
      site = await startSite((req, res) => {
        const body = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
        if (body === undefined) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(body);
      });
      if (chromiumMissing() === undefined) browser = await launchWithEvilName();
    });
    afterAll(async () => {
      await browser?.close();
      await site?.close();
      await backend?.close();
      rmSync(ui, { recursive: true, force: true });
    });

    /** Runs the attack page against a gateway; returns what the page saw. */
    const attack = async (gatewayUrl: string, m: string, program: 'sleep' | 'echo'): Promise<Record<string, unknown>> => {
      const path = `/attack-${m}.html`;
      pages.set(path, attackPage(gatewayUrl, m, program));
      const page = await browser.newPage();
      await page.goto(`${site.origin}${path}`);
      await page.waitForFunction(() => (window as any).done === true, undefined, { timeout: 25_000 });
      const results = await page.evaluate(() => (window as any).results as Record<string, unknown>);
      await page.close();
      return results;
    };

    it('none of the attacks starts or reads anything; the gateway logs the refusals', async () => {
      const gateway = await startTestGateway({ engine: { host: dockerHost() }, vmContainer: TEST_CONTAINER, uiDir: ui, backend: backend.target });
      const m = mark();
      try {
        const seenBefore = backend.seen.length;
        const results = await attack(gateway.url, m, 'sleep');
        expect(results).toMatchObject({
          corsInfo: 'failed: TypeError',
          corsInfoNoHeader: 'failed: TypeError',
          corsExec: 'failed: TypeError',
          corsSpawn: 'failed: TypeError',
          corsService: 'failed: TypeError',
          noCorsExec: 'opaque',
          noCorsExecHeader: 'opaque',
          noCorsSpawn: 'opaque',
          noCorsService: 'opaque',
          noCorsInfo: 'opaque',
          eventSource: 'error',
          webSocket: 'error',
          sandboxed: 'failed: TypeError',
          script: 'error',
          scriptNoReferrer: 'loaded',
          shimExec: expect.stringMatching(/^rejected: /),
          shimGet: 'rejected',
        });
        // The script served without a Referer carries no host info, and the page could not fetch it.
        expect(results.shimHostname).not.toBe(hostname());
        await new Promise((r) => setTimeout(r, 1_000));
        expect(await running(m)).toEqual([]);
        expect(backend.seen.length).toBe(seenBefore);
        const refusals = gateway.logs.filter((l) => l.includes(site.origin) && l.startsWith('refused'));
        // Each kind was refused at the door: preflights, no-cors POSTs, the beacon, forms, EventSource, WebSocket, the script.
        for (const what of ['[OPTIONS /_dd/exec', '[POST /_dd/exec', '[POST /_dd/spawn', '[POST /_dd/service/echo', '[GET /_dd/spawn/events', '[GET /_dd/exec', '[GET /ddclient-shim.js']) {
          expect(refusals.some((l) => l.includes(what)), what).toBe(true);
        }
        expect(gateway.logs.some((l) => l.includes('Origin "null" is not allowed'))).toBe(true);
        expect(gateway.logs.some((l) => l.includes(`only served to allowed origins, not to ${site.origin}`))).toBe(true);
        // The API in a frame is a GET without the client header; the UI in a frame is refused by the browser (frame-ancestors).
        expect(gateway.logs.some((l) => l.includes('[GET /_dd/info origin=-]'))).toBe(true);
      } finally {
        await gateway.close();
      }
    });

    it('control: the same page against a gateway that allows its origin does reach it (so the refusals above are the gateway\'s)', async () => {
      const gateway = await startTestGateway({ engine: { host: dockerHost() }, vmContainer: TEST_CONTAINER, uiDir: ui, backend: backend.target, allowOrigins: [site.origin] });
      const m = mark();
      try {
        // Commands that end (echo): the calls let through must return. The framed UI still spawns `sleep <m>`.
        const results = await attack(gateway.url, m, 'echo');
        expect(results.corsInfo).toContain('"capabilities"');
        expect(results.corsExec).toBe('status 200');
        expect(results.corsService).toContain('"url":"/echo"');
        expect(results.shimHostname).toBe(hostname());
        // The UI in a frame of an allowed origin loads and runs: its spawn shows up in ps, or — the page
        // being closed by now — the gateway has already ended it for its dropped stream.
        const started = async () => (await running(m)).length > 0 || gateway.logs.some((l) => /no event stream for \d+ ms, ending \d+ process/.test(l));
        await expect.poll(started, { timeout: 5_000, interval: 100 }).toBe(true);
      } finally {
        await gateway.close();
      }
      expect(await running(m)).toEqual([]);
    });
  });

  describe('DNS rebinding and header tricks', () => {
    let browser: Browser;
    let backend: TestBackend;
    let gateway: Awaited<ReturnType<typeof startTestGateway>>;
    let ui: string;
    beforeAll(async () => {
      ui = mkdtempSync(join(tmpdir(), 'ddshim-ui-'));
      writeFileSync(join(ui, 'index.html'), '<!doctype html><html><head><script src="/ddclient-shim.js"></script></head><body></body></html>');
      backend = await startBackend();
      gateway = await startTestGateway({ engine: { host: 'unix:///nonexistent/docker.sock' }, uiDir: ui, backend: backend.target });
      if (chromiumMissing() === undefined) browser = await launchWithEvilName();
    });
    afterAll(async () => {
      await browser?.close();
      await gateway?.close();
      await backend?.close();
      rmSync(ui, { recursive: true, force: true });
    });

    it('a page whose own origin is rebound to the gateway: every same-origin call is refused on its Host', async () => {
      const site = await startSite((_, res) => res.writeHead(200, { 'content-type': 'text/html', connection: 'close' }).end('<!doctype html><title>evil</title>'));
      // One port, two servers behind it: the attacker's site first, then (rebound) the gateway.
      let to = site.port;
      const sockets = new Set<Socket>();
      const switcher: Server = createServer((client) => {
        const upstream = connect(to, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => (client.destroy(), upstream.destroy()));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => switcher.listen(0, '127.0.0.1', resolve));
      const port = (switcher.address() as { port: number }).port;
      let page: Page | undefined;
      try {
        page = await browser.newPage();
        await page.goto(`http://${EVIL}:${port}/`);
        to = gateway.port;
        for (const s of sockets) s.destroy();
        const seenBefore = backend.seen.length;
        const results = await page.evaluate(async () => {
          const call = (path: string, init: RequestInit = {}) => fetch(path, init).then((x) => x.status, (e) => `failed: ${e.name}`);
          const json = { 'x-ddshim-client': '1', 'content-type': 'application/json' };
          return {
            script: await call('/ddclient-shim.js'),
            info: await call('/_dd/info', { headers: { 'x-ddshim-client': '1' } }),
            exec: await call('/_dd/exec', { method: 'POST', headers: json, body: '{"target":"container","container":"c","argv":["id"]}' }),
            service: await call('/_dd/service/echo', { headers: { 'x-ddshim-client': '1' } }),
            ui: await call('/'),
          };
        });
        expect(results).toEqual({ script: 403, info: 403, exec: 403, service: 403, ui: 403 });
        expect(backend.seen.length).toBe(seenBefore);
        expect(gateway.logs.some((l) => l.startsWith(`refused: Host "${EVIL}:${port}" is not this gateway`))).toBe(true);
      } finally {
        await page?.close();
        for (const s of sockets) s.destroy();
        await new Promise((resolve) => switcher.close(resolve));
        await site.close();
      }
    });

    it('CRLF in the headers a page passes to ddClient.backend.request: nothing injected reaches the backend', async () => {
      const page = await browser.newPage();
      try {
        await page.goto(`${gateway.url}/`);
        await page.waitForFunction(() => (window as any).ddClient !== undefined);
        const seenBefore = backend.seen.length;
        const outcomes = await page.evaluate(async () => {
          const request = (headers: Record<string, string>) =>
            (window as any).ddClient.backend.request({ url: '/echo', method: 'POST', headers, data: { a: 1 } }).then(
              () => 'sent',
              (e: any) => `rejected: ${e?.name}: ${e?.message}`,
            );
          return [
            await request({ 'x-a': '1\r\nx-injected: yes' }),
            await request({ 'x-a\r\nx-injected': 'yes' }),
            await request({ 'x-a': '1\nx-injected: yes' }),
            await request({ 'x-a': '1\r\n\r\nGET /smuggled HTTP/1.1' }),
          ];
        });
        // axios strips CR and LF from a value (the header goes as one line); a name with them is refused by the browser.
        expect(outcomes[0]).toBe('sent');
        expect(outcomes[1]).toMatch(/^rejected: SyntaxError: .*setRequestHeader/);
        expect(outcomes[2]).toBe('sent');
        expect(outcomes[3]).toBe('sent');
        const seen = backend.seen.slice(seenBefore);
        expect(seen.map((s) => s.headers['x-a'])).toEqual(['1x-injected: yes', '1x-injected: yes', '1GET /smuggled HTTP/1.1']);
        expect(seen.some((s) => s.headers['x-injected'] !== undefined || s.url !== '/echo')).toBe(false);
      } finally {
        await page.close();
      }
    });
  });
});

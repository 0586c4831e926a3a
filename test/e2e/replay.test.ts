// Issue 6, done-when: a session of the example extension recorded through the
// gateway (--record) replays in Chromium, with no gateway and no backend, with
// the same page output as the live run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumMissing, describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { describeWithDocker, dockerHost, TEST_CONTAINER, VM_CONTAINER } from '../helpers/docker.js';
import { startTestGateway } from '../helpers/gateway.js';
import { EXAMPLE_UI, startExampleBackend } from './example-backend.js';
import { startStaticServer } from './static-server.js';

let browser: Browser;
beforeAll(async () => {
  if (chromiumMissing() === undefined) browser = await launchChromium();
});
afterAll(() => browser?.close());

/** Every demo card's status and value, once the page's first run is done. */
async function cards(url: string): Promise<Record<string, [string | null, string | null]>> {
  const page: Page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  // The spawn card keeps streaming after data-ready: wait for its end.
  await page.waitForSelector('[data-testid="spawn"]:not([data-status="running"])', { timeout: 20_000 });
  const out = await page.$$eval('[data-testid]', (els) =>
    Object.fromEntries(
      els
        .filter((el) => el.hasAttribute('data-status'))
        .map((el) => [el.getAttribute('data-testid'), [el.getAttribute('data-status'), document.querySelector(`[data-testid="${el.getAttribute('data-testid')}-value"]`)?.textContent ?? null]]),
    ),
  );
  await page.close();
  return out as Record<string, [string | null, string | null]>;
}

describeWithChromium('replaying the example extension', () => {
  describeWithDocker('recorded live, replayed offline', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ddshim-replay-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('shows the same page output as the live run', async () => {
      const fixtureFile = join(dir, 'session.json');
      const backend = await startExampleBackend();
      const gateway = await startTestGateway({ uiDir: EXAMPLE_UI, backend: backend.target, vmContainer: VM_CONTAINER, engine: { host: dockerHost() }, record: fixtureFile });
      let live;
      try {
        live = await cards(`${gateway.url}/?container=${TEST_CONTAINER}`);
      } finally {
        await gateway.close();
        await backend.close();
      }
      expect(Object.keys(live).length).toBeGreaterThan(10);

      // No gateway, no backend, no engine: the example's own UI, with the offline script in the shim's place.
      const offline = await startStaticServer({
        dir: EXAMPLE_UI,
        files: { '/ddclient-shim.js': readFileSync('dist/ddclient-shim-offline.js', 'utf8'), '/session.json': readFileSync(fixtureFile, 'utf8') },
      });
      try {
        const replayed = await cards(`${offline.url}/?container=${TEST_CONTAINER}&ddReplay=/session.json`);
        expect(replayed).toEqual(live);
      } finally {
        await offline.close();
      }
    });
  });
});

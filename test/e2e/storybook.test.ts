// Issue 6, in a real Storybook: `storybook build` of examples/storybook (React +
// Vite, the decorator from the built `ddclient-shim/storybook`), served as
// static files, each story opened in real Chromium. One story shows data from
// mock handlers, one a replayed fixture recorded by the gateway, one an error
// state, one a spawn's output as it arrives; and switching stories in one page
// resets the client and stops the spawn the previous story left running.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumMissing, describeWithChromium, launchChromium } from '../helpers/chromium.js';
import { startStaticServer } from './static-server.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describeWithChromium('Storybook with ddclient-shim/storybook (examples/storybook), in Chromium', () => {
  let out: string;
  let site: Awaited<ReturnType<typeof startStaticServer>>;
  let browser: Browser;
  let buildMs: number;

  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist/storybook.js'))) throw new Error('dist/storybook.js is missing: run `npm run build` first (npm test does)');
    out = mkdtempSync(join(tmpdir(), 'ddshim-storybook-'));
    const start = Date.now();
    // `storybook build` as a project runs it: its own process, no telemetry.
    await promisify(execFile)(
      process.execPath,
      [join(REPO, 'node_modules/storybook/dist/bin/dispatcher.js'), 'build', '--config-dir', 'examples/storybook/.storybook', '--output-dir', out, '--quiet'],
      { cwd: REPO, env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', NODE_ENV: 'production' }, maxBuffer: 16 * 1024 * 1024 },
    );
    buildMs = Date.now() - start;
    site = await startStaticServer({ dir: out });
    if (chromiumMissing() === undefined) browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** A story alone in its iframe, as Storybook's canvas shows it. */
  async function open(id: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 640, height: 320 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${site.url}/iframe.html?id=${id}&viewMode=story`);
    await page.locator('#storybook-root').waitFor({ state: 'attached' });
    expect(problems).toEqual([]);
    return page;
  }
  const shot = (page: Page, name: string) => {
    mkdirSync(join(REPO, 'docs'), { recursive: true });
    return page.screenshot({ path: join(REPO, `docs/storybook-${name}.png`) });
  };

  it('builds with `storybook build`, one index entry a story', async () => {
    console.info(`storybook build: ${(buildMs / 1000).toFixed(1)} s`);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(index.entries).sort()).toEqual(['items--error-state', 'items--from-handlers', 'items--from-recorded-fixture', 'items--no-parameters', 'live-log--spawn-output']);
  });

  it('shows data from mock handlers', async () => {
    const page = await open('items--from-handlers');
    const items = page.locator('ul[data-status="ok"] li');
    await expect.poll(() => items.allTextContents()).toEqual(['✔ Answered by a mock handler', '○ No gateway, no backend', '○ Same window.ddClient as in Docker Desktop']);
    await shot(page, 'handlers');
    await page.close();
  });

  it('shows data replayed from a fixture the gateway recorded', async () => {
    const page = await open('items--from-recorded-fixture');
    const items = page.locator('ul[data-status="ok"] li');
    await expect.poll(() => items.allTextContents()).toEqual(['✔ Write a Docker Desktop extension', '○ Open its UI in a plain browser']);
    await shot(page, 'fixture');
    await page.close();
  });

  it('shows an error state: the message and the status of a 500', async () => {
    const page = await open('items--error-state');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('strong').textContent()).toBe('Could not load the items (status 500)');
    expect(await page.getByTestId('error-message').textContent()).toBe('{"message":"boom"}');
    await shot(page, 'error');
    await page.close();
  });

  it('tells a story without parameters what to add', async () => {
    const page = await open('items--no-parameters');
    await page.getByRole('alert').waitFor();
    expect(await page.getByTestId('error-message').textContent()).toBe(
      "ddclient-shim storybook: GET /items: no ddClient parameters for this story: add parameters.ddClient = { mock: { service: { 'GET /items': [] } } } (or { replay: fixture } or { gateway: 'http://127.0.0.1:7777' }) to the story, its meta or .storybook/preview.ts",
    );
    await shot(page, 'no-parameters');
    await page.close();
  });

  it('shows a spawn’s output as it arrives, line by line', async () => {
    const page = await open('live-log--spawn-output');
    const lines = page.locator('[data-testid="output"] [data-line]');
    await page.getByText('starting app').waitFor();
    const first = Date.now();
    // The first line is on screen while the process is still running: later lines are not there yet.
    expect(await lines.allTextContents()).not.toContain('done');
    expect(await page.getByTestId('exit').textContent()).toBe('running…');
    await page.getByTestId('exit').getByText('exited with code 0').waitFor();
    expect(Date.now() - first).toBeGreaterThan(2000);
    // splitOutputLines: a line that came in two chunks is one line; stderr comes as its own.
    expect(await lines.allTextContents()).toEqual(['starting app', 'listening on :8080', 'GET /items 200 12ms', 'warning: cache is cold', 'done']);
    await shot(page, 'spawn');
    await page.close();
  });

  it('resets between stories in one page, stopping the spawn the previous story left running', async () => {
    const page = await open('live-log--spawn-output');
    // Mock mode logs every call to devtools; a spawn's entry ends with how it ended.
    const ends: unknown[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'log' && msg.text().startsWith('response')) void msg.args()[1]?.jsonValue().then((v: unknown) => ends.push(v));
    });
    await page.getByText('starting app').waitFor();
    // As a click in Storybook's sidebar does: the preview renders another story in the same page.
    const select = (storyId: string) =>
      page.evaluate((id) => (window as unknown as { __STORYBOOK_PREVIEW__: { onSetCurrentStory(s: object): Promise<void> } }).__STORYBOOK_PREVIEW__.onSetCurrentStory({ storyId: id, viewMode: 'story' }), storyId);
    await select('items--from-handlers');
    await expect.poll(() => page.locator('ul[data-status="ok"] li').count()).toBe(3);
    await expect.poll(() => ends).toContainEqual({ code: null, signal: 'SIGTERM' });
    await select('items--no-parameters');
    await expect.poll(() => page.getByTestId('error-message').textContent()).toMatch(/no ddClient parameters for this story/);
    await select('items--from-recorded-fixture');
    await expect.poll(() => page.locator('ul[data-status="ok"] li').allTextContents()).toEqual(['✔ Write a Docker Desktop extension', '○ Open its UI in a plain browser']);
    await page.close();
  });
});

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describeIfAvailable } from './gate.js';

/** Debian's chromium (DESIGN.md, Testing); DDSHIM_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.DDSHIM_CHROMIUM ?? '/usr/bin/chromium';

/** The flags that work in these containers: no sandbox (root), no GPU, nothing phoning home. */
/** The flags that work here (DESIGN.md, Testing): headless, no sandbox as root, no background traffic. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why Chromium tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `${CHROMIUM_PATH} is missing: install Chromium (\`apt-get install -y chromium\` on Debian/Ubuntu, or set DDSHIM_CHROMIUM to a Chromium binary) to run the browser tests`;
}

/**
 * `describe` for a suite that needs Chromium. Where it is missing the suite is
 * skipped with a line saying how to install it; with DDSHIM_REQUIRE_CHROMIUM=1
 * (.ci/run) it fails instead, so CI cannot pass by skipping.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  describeIfAvailable(name, fn, chromiumMissing(), { what: 'Chromium', requireVar: 'DDSHIM_REQUIRE_CHROMIUM' });
}

/** A headless Chromium; close it in afterAll. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

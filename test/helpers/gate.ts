import { describe, it } from 'vitest';

/**
 * `describe` for a suite that needs something this machine may not have
 * (Docker, Chromium). Without it the suite is skipped with a line saying why
 * and how to get it; with `requireVar=1` in the environment (.ci/run sets it)
 * it fails instead, so CI cannot pass by skipping.
 */
export function describeIfAvailable(name: string, fn: () => void, missing: string | undefined, need: { what: string; requireVar: string }): void {
  if (missing === undefined) return void describe(name, fn);
  if (process.env[need.requireVar] === '1') {
    return void describe(name, () => {
      it(`needs ${need.what}`, () => {
        throw new Error(`${missing} (${need.requireVar}=1 makes this a failure)`);
      });
    });
  }
  console.warn(`skipping "${name}": ${missing}`);
  describe.skip(name, fn);
}

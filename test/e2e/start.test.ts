// `npm start` (scripts/start.mjs) as a user runs it: it prints a URL that
// serves the example, and SIGINT leaves no process or socket file behind.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, it } from 'vitest';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('npm start serves the example, and SIGINT stops everything it started', async () => {
  if (!existsSync('dist/cli.js')) throw new Error('dist/cli.js is missing: run `npm run build` before the e2e tests');
  const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
  try {
    await expect.poll(() => out, { timeout: 15_000 }).toMatch(/processes backend \d+, gateway \d+/);
    const url = /Open (http:\/\/\S+)/.exec(out)?.[1];
    const socket = /backend +(\/\S+)/.exec(out)?.[1];
    const pids = [...(/processes backend (\d+), gateway (\d+)/.exec(out) ?? [])].slice(1).map(Number);
    expect(url).toBeDefined();
    expect(existsSync(socket!)).toBe(true);
    expect(pids.every(alive)).toBe(true);

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/ddclient-shim.js"></script>');
    const script = await fetch(new URL('/ddclient-shim.js', url));
    expect(script.status).toBe(200);

    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code, out).toBe(0);
    expect(out).toContain('stopped');
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(socket!)).toBe(false);
    expect(existsSync(dirname(socket!))).toBe(false);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

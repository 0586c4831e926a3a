// The real Docker engine the gateway tests run against (DESIGN.md, Testing):
// `scripts/docker-engine.sh up` starts a private one under .docker/ with the
// test containers ddshim-c and ddshim-vm (running), ddshim-stopped (never
// started) and ddshim-nosh (running, no shell).
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeIfAvailable } from './gate.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Test containers made by scripts/docker-engine.sh. */
export const TEST_CONTAINER = 'ddshim-c';
export const VM_CONTAINER = 'ddshim-vm';
export const STOPPED_CONTAINER = 'ddshim-stopped';
/** No shell in it, only /bin/sleep: for the kill fallback. */
export const NO_SHELL_CONTAINER = 'ddshim-nosh';

/** DOCKER_HOST when set, else the private engine of scripts/docker-engine.sh. */
export function dockerHost(): string {
  if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
  const dir = process.env.DDSHIM_DOCKER_DIR ?? join(REPO, '.docker');
  return `unix://${join(dir, 'docker.sock')}`;
}

const HOW = 'run `scripts/docker-engine.sh up` (needs docker.io and busybox-static)';

/** GET an Engine API path with node:http, independent of the client under test. */
function engineGet(path: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  const url = new URL(dockerHost());
  const target = url.protocol === 'unix:' ? { socketPath: decodeURIComponent(url.pathname) } : { host: url.hostname, port: Number(url.port || 2375) };
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Why the Docker tests cannot run here, or undefined when they can. Checked once, at import. */
async function probe(): Promise<string | undefined> {
  try {
    const ping = await engineGet('/_ping');
    if (ping.status !== 200) return `no Docker engine at ${dockerHost()} (/_ping answered ${ping.status}): ${HOW}`;
    const c = await engineGet(`/containers/${TEST_CONTAINER}/json`);
    if (c.status !== 200 || !(JSON.parse(c.body) as { State?: { Running?: boolean } }).State?.Running) {
      return `the Docker engine at ${dockerHost()} has no running test container ${TEST_CONTAINER}: ${HOW}`;
    }
    return undefined;
  } catch (err) {
    return `no Docker engine at ${dockerHost()} (${(err as Error).message}): ${HOW}`;
  }
}
const missing = await probe();

/** Why Docker tests cannot run here, or undefined when they can. */
export function dockerMissing(): string | undefined {
  return missing;
}

/**
 * `describe` for a suite that needs the real engine. Without one the suite is
 * skipped with a line saying how to start it; with DDSHIM_REQUIRE_DOCKER=1
 * (.ci/run) it fails instead, so CI cannot pass by skipping.
 */
export function describeWithDocker(name: string, fn: () => void): void {
  describeIfAvailable(name, fn, missing, { what: 'a Docker engine', requireVar: 'DDSHIM_REQUIRE_DOCKER' });
}

/** Same gate for a single test file that calls it at top level: throws under DDSHIM_REQUIRE_DOCKER=1, else says whether to skip. */
export function requireDocker(): boolean {
  if (missing === undefined) return true;
  if (process.env.DDSHIM_REQUIRE_DOCKER === '1') throw new Error(`${missing} (DDSHIM_REQUIRE_DOCKER=1 makes this a failure)`);
  console.warn(`skipping: ${missing}`);
  return false;
}

const run = promisify(execFile);

export interface ContainerProcess {
  pid: number;
  /** ps state: S, R, Z (zombie: already dead, not yet reaped), … */
  stat: string;
  args: string;
}

/**
 * The processes in a container, through the `docker` CLI (not the client under
 * test), for leak checks. Zombies are left out: they are dead, only not yet
 * reaped by the container's PID 1, and hold no resources the test cares about.
 */
export async function psInContainer(container: string): Promise<ContainerProcess[]> {
  const { stdout } = await run('docker', ['exec', container, 'ps', '-o', 'pid,stat,args'], { env: { ...process.env, DOCKER_HOST: dockerHost() } });
  return stdout
    .split('\n')
    .slice(1)
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), stat: m[2] ?? '', args: m[3] ?? '' }))
    .filter((p) => !p.stat.startsWith('Z') && !p.args.startsWith('ps -o'));
}

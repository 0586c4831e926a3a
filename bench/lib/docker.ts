/**
 * The Docker engine the exec/spawn benchmarks run against: DOCKER_HOST when
 * set, else the private engine of `scripts/docker-engine.sh up` (as the tests
 * find it, test/helpers/docker.ts), with its running container `ddshim-c`.
 */
import { request } from 'node:http';
import { join } from 'node:path';

export const CONTAINER = 'ddshim-c';

export function dockerHost(): string {
  if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
  const dir = process.env.DDSHIM_DOCKER_DIR ?? join(process.cwd(), '.docker');
  return `unix://${join(dir, 'docker.sock')}`;
}

/** The environment for the `docker` CLI and the gateway children: the same engine. */
export const dockerEnv = (): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_HOST: dockerHost() });

const HOW = 'start one with `scripts/docker-engine.sh up`';

/** Why the Docker benchmarks cannot run here, or undefined when they can. */
export async function dockerMissing(): Promise<string | undefined> {
  const url = new URL(dockerHost());
  const target = url.protocol === 'unix:' ? { socketPath: decodeURIComponent(url.pathname) } : { host: url.hostname, port: Number(url.port || 2375) };
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ ...target, path, timeout: 2000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 2 s')));
      req.on('error', reject);
      req.end();
    });
  try {
    if ((await get('/_ping')).status !== 200) return `no Docker engine answers at ${dockerHost()}: ${HOW}`;
    const c = await get(`/containers/${CONTAINER}/json`);
    const running = c.status === 200 && (JSON.parse(c.body) as { State?: { Running?: boolean } }).State?.Running === true;
    return running ? undefined : `the engine at ${dockerHost()} has no running container ${CONTAINER}: ${HOW}`;
  } catch (err) {
    return `no Docker engine at ${dockerHost()} (${(err as Error).message}): ${HOW}`;
  }
}

/** A shell line writing `bytes` bytes of `a` to stdout (busybox: head and tr), the producer of the stream benchmarks. */
export const producer = (bytes: number): string => `head -c ${bytes} /dev/zero | tr '\\0' a`;

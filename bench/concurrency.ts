/**
 * 6. Concurrency: N spawns at once, each writing M bytes, all on one session
 * stream (one page, as the shim shares one stream among a page's spawns). Every
 * spawn must deliver exactly its M bytes and exit 0; anything else counts as an
 * error. The baseline is N `docker exec` CLIs at once running the same command
 * with their stdout on /dev/null. The gateway's `--max-spawns` (64 by default)
 * is raised to N: the default limit is a safety bound, not a capacity.
 */
import { run, startChild } from './lib/child.js';
import { CONTAINER, dockerEnv, producer } from './lib/docker.js';
import type { Section } from './lib/report.js';
import { openSession } from './lib/spawn-client.js';
import { fmtMs, fmtRatio } from './lib/stats.js';

export async function measureConcurrency(cfg: { spawns: number; bytes: number }): Promise<Section> {
  const env = dockerEnv();
  const gateway = await startChild<{ url: string }>('gateway', { maxSpawns: Math.max(64, cfg.spawns) }, env);
  try {
    const argv = ['sh', '-c', producer(cfg.bytes)];
    const session = await openSession(gateway.info.url);
    const errors: string[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: cfg.spawns }, async () => {
        let bytes = 0;
        try {
          await new Promise<void>((resolve, reject) => {
            session
              .spawn(
                { target: 'container', container: CONTAINER, argv },
                {
                  output: (text) => (bytes += text.length),
                  exit: (code) => (code === 0 ? resolve() : reject(new Error(`exited ${code}`))),
                  error: (message) => reject(new Error(message)),
                },
              )
              .catch(reject);
          });
          if (bytes !== cfg.bytes) errors.push(`delivered ${bytes} bytes, not ${cfg.bytes}`);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }),
    );
    const gwMs = performance.now() - t0;
    session.close();

    const t1 = performance.now();
    const cli = await Promise.all(Array.from({ length: cfg.spawns }, () => run('docker', ['exec', CONTAINER, ...argv], { env, stdout: 'ignore' })));
    const cliMs = performance.now() - t1;
    const cliErrors = cli.filter((r) => r.code !== 0).length;

    const what = `${cfg.spawns} × ${cfg.bytes / 1e6} MB at once`;
    return {
      name: '6. Concurrency',
      rows: [
        { id: '6a', figure: `${what}, wall time`, value: fmtMs(gwMs), baseline: `docker exec ${fmtMs(cliMs)}`, ratio: fmtRatio(gwMs / cliMs), target: '–', met: undefined },
        { id: '6b', figure: `${what}, errors`, value: String(errors.length), baseline: `docker exec ${cliErrors}`, ratio: '–', target: '0', met: errors.length === 0 },
      ],
      notes: [
        `All ${cfg.spawns} spawns on one session stream; gateway --max-spawns ${Math.max(64, cfg.spawns)}.`,
        ...(errors.length ? [`Errors: ${[...new Set(errors)].slice(0, 5).join('; ')}`] : []),
        ...(cliErrors ? [`docker exec failures: ${cli.find((r) => r.code !== 0)?.stderr.trim()}`] : []),
      ],
    };
  } finally {
    await gateway.stop();
  }
}

/**
 * 3. Exec latency: `POST /_dd/exec {target:'container', container, argv:['true']}`
 * from Node over HTTP with keep-alive (fetch, as the shim's calls are made) vs
 * `docker exec <container> true` run by the CLI, interleaved one for one (the
 * order flips every pair), after warm-up calls of each. The gateway runs in
 * a process of its own.
 */
import { CLIENT_HEADER, PREFIX, type ExecResult } from '../src/protocol.js';
import { run, startChild } from './lib/child.js';
import { CONTAINER, dockerEnv } from './lib/docker.js';
import type { Section } from './lib/report.js';
import { fmtMs, fmtRatio, median, percentile } from './lib/stats.js';

export async function measureExec(cfg: { n: number; warmup: number }): Promise<Section> {
  const gateway = await startChild<{ url: string }>('gateway', {}, dockerEnv());
  try {
    const viaGateway = async (): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`${gateway.info.url}${PREFIX}exec`, {
        method: 'POST',
        headers: { [CLIENT_HEADER]: '1', 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'container', container: CONTAINER, argv: ['true'] }),
      });
      const result = (await res.json()) as ExecResult;
      const ms = performance.now() - t0;
      if (res.status !== 200 || result.code !== 0) throw new Error(`exec through the gateway answered ${res.status}: ${JSON.stringify(result)}`);
      return ms;
    };
    const viaCli = async (): Promise<number> => {
      const t0 = performance.now();
      const { code, stderr } = await run('docker', ['exec', CONTAINER, 'true'], { env: dockerEnv() });
      const ms = performance.now() - t0;
      if (code !== 0) throw new Error(`docker exec ${CONTAINER} true exited ${code}: ${stderr}`);
      return ms;
    };

    for (let i = 0; i < cfg.warmup; i++) {
      await viaGateway();
      await viaCli();
    }
    const gw: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < cfg.n; i++) {
      if (i % 2 === 0) {
        gw.push(await viaGateway());
        cli.push(await viaCli());
      } else {
        cli.push(await viaCli());
        gw.push(await viaGateway());
      }
    }
    const g = { p50: median(gw), p95: percentile(gw, 95) };
    const c = { p50: median(cli), p95: percentile(cli, 95) };
    return {
      name: '3. Exec latency',
      rows: [
        { id: '3a', figure: 'exec `true`, median', value: fmtMs(g.p50), baseline: `docker exec ${fmtMs(c.p50)}`, ratio: fmtRatio(g.p50 / c.p50), target: '≤ 1.00×', met: g.p50 <= c.p50 },
        { id: '3b', figure: 'exec `true`, p95', value: fmtMs(g.p95), baseline: `docker exec ${fmtMs(c.p95)}`, ratio: fmtRatio(g.p95 / c.p95), target: '≤ 1.00×', met: g.p95 <= c.p95 },
      ],
      notes: [`${cfg.n} calls each, interleaved; gateway min ${fmtMs(Math.min(...gw))}, docker CLI min ${fmtMs(Math.min(...cli))}.`],
    };
  } finally {
    await gateway.stop();
  }
}

/**
 * 2. Service-call overhead: a small JSON GET through the gateway
 * (`/_dd/service/items`) vs the same backend hit directly, vs http-proxy 1.18
 * forwarding to it. autocannon is the load generator, run by its CLI in a
 * process of its own, as are the backend, the gateway and http-proxy: with
 * two cores the load generator competes with the servers whatever we do, but
 * no two of them share an event loop. Rounds are interleaved (direct, gateway,
 * http-proxy, direct, …) so drift on a shared machine hits all three alike.
 *
 * autocannon's percentiles have 1 ms resolution (it records whole
 * milliseconds); the unloaded figure (one connection, requests one after
 * another, timed with the high-resolution clock here) shows what one call
 * costs when nothing queues.
 *
 * CPU time per call (user + system of each server process, from /proc, over
 * the measured runs) is the figure that holds on a busy machine: throughput
 * there depends on what else runs, the work a call takes does not.
 */
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CLIENT_HEADER } from '../src/protocol.js';
import { cpuMs, run, startChild, type Child } from './lib/child.js';
import type { Section } from './lib/report.js';
import { fmtInt, fmtMs, fmtRatio, median, percentile, sum } from './lib/stats.js';

export interface ServiceConfig {
  connections: number;
  /** Seconds per autocannon run. */
  duration: number;
  rounds: number;
  /** Sequential requests for the unloaded latency, per target. */
  unloaded: number;
  /** A 1 s autocannon run per target first (JIT, connection pools), not counted. */
  warmup: boolean;
}

interface CannonResult {
  /** CPU ms the forwarder (or, direct, the backend) and the backend used during the run: added here. */
  cpu?: { server: number; backend: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p99: number; average: number };
  requests: { total: number };
}

const AUTOCANNON = join(dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

async function cannon(url: string, connections: number, duration: number): Promise<CannonResult> {
  const { code, stdout, stderr } = await run(process.execPath, [AUTOCANNON, '-c', String(connections), '-d', String(duration), '-H', `${CLIENT_HEADER}=1`, '-j', url]);
  if (code !== 0) throw new Error(`autocannon ${url} failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as CannonResult;
}

/** `n` GETs one after another on one keep-alive connection; each one's time in ms. */
async function sequential(url: string, n: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      request(url, { agent, headers: { [CLIENT_HEADER]: '1' } }, (res) => {
        res.resume().on('end', resolve).on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    times.push(performance.now() - t0);
  }
  agent.destroy();
  return times;
}

export async function measureService(cfg: ServiceConfig): Promise<Section> {
  const children: Child<{ url: string }>[] = [];
  try {
    const backend = await startChild<{ url: string; bytes: number }>('backend', {});
    children.push(backend);
    const gateway = await startChild<{ url: string }>('gateway', { backend: backend.info.url });
    children.push(gateway);
    const proxy = await startChild<{ url: string }>('http-proxy', { target: backend.info.url });
    children.push(proxy);
    const targets = {
      direct: `${backend.info.url}/items`,
      gateway: `${gateway.info.url}/_dd/service/items`,
      'http-proxy': `${proxy.info.url}/items`,
    };
    type Name = keyof typeof targets;
    const names = Object.keys(targets) as Name[];
    const pids: Record<Name, number> = { direct: backend.pid, gateway: gateway.pid, 'http-proxy': proxy.pid };
    const measured = async (name: Name): Promise<CannonResult> => {
      const server0 = cpuMs(pids[name]);
      const backend0 = cpuMs(backend.pid);
      const result = await cannon(targets[name], cfg.connections, cfg.duration);
      result.cpu = { server: cpuMs(pids[name]) - server0, backend: cpuMs(backend.pid) - backend0 };
      return result;
    };

    // Warm up each (JIT, connection pools), then the measured rounds, interleaved.
    if (cfg.warmup) for (const name of names) await cannon(targets[name], cfg.connections, 1);
    const results: Record<Name, CannonResult[]> = { direct: [], gateway: [], 'http-proxy': [] };
    for (let r = 0; r < cfg.rounds; r++) for (const name of names) results[name].push(await measured(name));

    const unloaded: Record<'direct' | 'gateway', number[]> = { direct: [], gateway: [] };
    for (let r = 0; r < 2; r++) for (const name of ['direct', 'gateway'] as const) unloaded[name].push(...(await sequential(targets[name], cfg.unloaded / 2)));

    const agg = (name: Name) => {
      const rs = results[name];
      return {
        rps: sum(rs.map((x) => x.requests.total)) / sum(rs.map((x) => x.duration)),
        p50: median(rs.map((x) => x.latency.p50)),
        p99: median(rs.map((x) => x.latency.p99)),
        mean: sum(rs.map((x) => x.latency.average * x.requests.total)) / sum(rs.map((x) => x.requests.total)),
        bad: sum(rs.map((x) => x.errors + x.timeouts + x.non2xx)),
        /** µs of CPU a call: the forwarder's own (the backend's, direct), and the backend's. */
        cpu: (sum(rs.map((x) => x.cpu?.server ?? 0)) * 1000) / sum(rs.map((x) => x.requests.total)),
        backendCpu: (sum(rs.map((x) => x.cpu?.backend ?? 0)) * 1000) / sum(rs.map((x) => x.requests.total)),
      };
    };
    const direct = agg('direct');
    const gw = agg('gateway');
    const hp = agg('http-proxy');
    const added = gw.p50 - direct.p50;
    const u = { direct: median(unloaded.direct), gateway: median(unloaded.gateway), d99: percentile(unloaded.direct, 99), g99: percentile(unloaded.gateway, 99) };
    const c = cfg.connections;

    const bad = direct.bad + gw.bad + hp.bad;
    return {
      name: '2. Service-call overhead',
      rows: [
        { id: '2a', figure: `gateway req/s, ${c} conn`, value: fmtInt(gw.rps), baseline: `direct ${fmtInt(direct.rps)}`, ratio: fmtRatio(gw.rps / direct.rps), target: '≥ 0.40×', met: gw.rps / direct.rps >= 0.4 },
        { id: '2b', figure: `gateway vs http-proxy req/s`, value: fmtInt(gw.rps), baseline: `http-proxy ${fmtInt(hp.rps)}`, ratio: fmtRatio(gw.rps / hp.rps), target: '> 1.00×', met: gw.rps > hp.rps },
        { id: '2c', figure: `gateway p50 latency, ${c} conn`, value: `${gw.p50} ms (+${added} ms)`, baseline: `direct ${direct.p50} ms`, ratio: fmtRatio(gw.p50 / direct.p50), target: 'added ≤ 1 ms', met: added <= 1 },
        { id: '2d', figure: `gateway p99 latency, ${c} conn`, value: `${gw.p99} ms`, baseline: `direct ${direct.p99} ms`, ratio: fmtRatio(gw.p99 / direct.p99), target: '–', met: undefined },
        { id: '2e', figure: `http-proxy p50 / p99, ${c} conn`, value: `${hp.p50} / ${hp.p99} ms`, baseline: `direct ${direct.p50} / ${direct.p99} ms`, ratio: fmtRatio(hp.rps / direct.rps), target: '–', met: undefined },
        { id: '2f', figure: 'CPU a call: gateway vs http-proxy', value: `${fmtInt(gw.cpu)} µs`, baseline: `http-proxy ${fmtInt(hp.cpu)} µs`, ratio: fmtRatio(gw.cpu / hp.cpu), target: '–', met: undefined },
        { id: '2g', figure: 'gateway p50 latency, 1 conn unloaded', value: `${fmtMs(u.gateway)} (+${fmtMs(u.gateway - u.direct)})`, baseline: `direct ${fmtMs(u.direct)}`, ratio: fmtRatio(u.gateway / u.direct), target: '–', met: undefined },
      ],
      notes: [
        `autocannon ${c} connections, ${cfg.rounds} × ${cfg.duration} s per target, interleaved${cfg.warmup ? ', after a 1 s warm-up each' : ''}; mean latency direct ${fmtMs(direct.mean)}, gateway ${fmtMs(gw.mean)}, http-proxy ${fmtMs(hp.mean)}.`,
        `Unloaded: ${cfg.unloaded} sequential GETs per target on one keep-alive connection; p99 direct ${fmtMs(u.d99)}, gateway ${fmtMs(u.g99)}.`,
        `CPU a call (user + system, over the measured runs): the backend answering directly ${fmtInt(direct.cpu)} µs; through the gateway, the gateway ${fmtInt(gw.cpu)} µs and the backend ${fmtInt(gw.backendCpu)} µs; through http-proxy, http-proxy ${fmtInt(hp.cpu)} µs and the backend ${fmtInt(hp.backendCpu)} µs.`,
        `Errors, timeouts and non-2xx answers over all runs: ${bad}.`,
      ],
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

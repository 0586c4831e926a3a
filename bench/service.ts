/**
 * 2. Service-call overhead: a small JSON GET through the gateway
 * (`/_dd/service/items`) vs the same backend hit directly, vs http-proxy 1.18
 * forwarding to it, and vs a bare node:http forwarder with none of the
 * gateway's checks (children/bare-forwarder.ts: the floor for any forwarder
 * on node:http). autocannon is the load generator for throughput, run by its
 * CLI in a process of its own, as are the backend and each forwarder: with
 * two cores the load generator competes with the servers whatever we do, but
 * no two of them share an event loop. Rounds are interleaved (direct,
 * gateway, http-proxy, bare, direct, …) so drift on a shared machine hits all
 * alike.
 *
 * Latency is timed below saturation, here, to the microsecond (`paced`):
 * autocannon's percentiles are whole milliseconds, and at saturation they
 * only restate throughput (the queue, connections ÷ requests per second).
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
import { fmtInt, fmtMs, fmtRatio, median, percentile, sleep, sum } from './lib/stats.js';

export interface ServiceConfig {
  connections: number;
  /** Seconds per autocannon run. */
  duration: number;
  rounds: number;
  /** Sequential requests for the unloaded latency, per target. */
  unloaded: number;
  /** The offered rate (req/s, over `connections`) at which latency is timed below saturation, and for how long, per target. */
  pacedRate: number;
  pacedSeconds: number;
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

/**
 * `count` GETs offered at a fixed `rate` (per second, in all) over at most
 * `connections` keep-alive connections, each timed from when it was due, not
 * from when it could be sent: a call that waits for a free connection counts
 * its wait (no coordinated omission). Below saturation this is what a call
 * costs through a forwarder; autocannon, which sends as fast as answers come,
 * measures only the queue at saturation (connections ÷ throughput), and in
 * whole milliseconds. Each call's time in ms.
 */
async function paced(url: string, opts: { connections: number; rate: number; count: number }): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const times: number[] = [];
  const get = (due: number) =>
    new Promise<void>((resolve, reject) => {
      request(url, { agent, headers: { [CLIENT_HEADER]: '1' } }, (res) => {
        res
          .resume()
          .on('end', () => resolve(void times.push(performance.now() - due)))
          .on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  const calls: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < opts.count; i++) {
    const due = t0 + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    // Timed from when it was due, or from when it went if the generator's own timer was late.
    calls.push(get(Math.max(due, performance.now())));
  }
  await Promise.all(calls);
  agent.destroy();
  return times;
}

export async function measureService(cfg: ServiceConfig): Promise<Section> {
  const children: Child<{ url: string }>[] = [];
  try {
    const backend = await startChild<{ url: string; bytes: number }>('backend', {});
    children.push(backend);
    const forwarder = async (name: string, arg: unknown) => {
      const child = await startChild<{ url: string }>(name, arg);
      children.push(child);
      return child;
    };
    const gateway = await forwarder('gateway', { backend: backend.info.url });
    const proxy = await forwarder('http-proxy', { target: backend.info.url });
    const bare = await forwarder('bare-forwarder', { target: backend.info.url });
    const targets = {
      direct: { url: `${backend.info.url}/items`, pid: backend.pid },
      gateway: { url: `${gateway.info.url}/_dd/service/items`, pid: gateway.pid },
      'http-proxy': { url: `${proxy.info.url}/items`, pid: proxy.pid },
      bare: { url: `${bare.info.url}/items`, pid: bare.pid },
    };
    type Name = keyof typeof targets;
    const names = Object.keys(targets) as Name[];
    const measured = async (name: Name): Promise<CannonResult> => {
      const server0 = cpuMs(targets[name].pid);
      const backend0 = cpuMs(backend.pid);
      const result = await cannon(targets[name].url, cfg.connections, cfg.duration);
      result.cpu = { server: cpuMs(targets[name].pid) - server0, backend: cpuMs(backend.pid) - backend0 };
      return result;
    };

    // Warm up each (JIT, connection pools), then the measured rounds, interleaved.
    if (cfg.warmup) for (const name of names) await cannon(targets[name].url, cfg.connections, 1);
    const results: Record<Name, CannonResult[]> = { direct: [], gateway: [], 'http-proxy': [], bare: [] };
    for (let r = 0; r < cfg.rounds; r++) for (const name of names) results[name].push(await measured(name));

    // Below saturation, timed here to the microsecond: 32 connections at a fixed rate, and one connection unloaded.
    const loaded = { connections: cfg.connections, rate: cfg.pacedRate, count: cfg.pacedRate * cfg.pacedSeconds };
    const unloaded = { connections: 1, rate: 1_000, count: cfg.unloaded };
    const calls = { direct: { loaded: [] as number[], unloaded: [] as number[] }, gateway: { loaded: [] as number[], unloaded: [] as number[] } };
    for (let r = 0; r < 2; r++) {
      for (const name of ['direct', 'gateway'] as const) {
        calls[name].loaded.push(...(await paced(targets[name].url, { ...loaded, count: loaded.count / 2 })));
        calls[name].unloaded.push(...(await paced(targets[name].url, { ...unloaded, count: unloaded.count / 2 })));
      }
    }

    const agg = (name: Name) => {
      const rs = results[name];
      const total = sum(rs.map((x) => x.requests.total));
      return {
        rps: total / sum(rs.map((x) => x.duration)),
        p50: median(rs.map((x) => x.latency.p50)),
        p99: median(rs.map((x) => x.latency.p99)),
        mean: sum(rs.map((x) => x.latency.average * x.requests.total)) / total,
        bad: sum(rs.map((x) => x.errors + x.timeouts + x.non2xx)),
        /** µs of CPU a call: the forwarder's own (the backend's, direct), and the backend's. */
        cpu: (sum(rs.map((x) => x.cpu?.server ?? 0)) * 1000) / total,
        backendCpu: (sum(rs.map((x) => x.cpu?.backend ?? 0)) * 1000) / total,
      };
    };
    const [direct, gw, hp, floor] = (['direct', 'gateway', 'http-proxy', 'bare'] as const).map(agg) as [ReturnType<typeof agg>, ReturnType<typeof agg>, ReturnType<typeof agg>, ReturnType<typeof agg>];
    const p = (xs: number[], q: number) => percentile(xs, q);
    const added = p(calls.gateway.loaded, 50) - p(calls.direct.loaded, 50);
    const c = cfg.connections;
    const bad = direct.bad + gw.bad + hp.bad + floor.bad;
    return {
      name: '2. Service-call overhead',
      rows: [
        { id: '2a', figure: `gateway req/s, ${c} conn`, value: fmtInt(gw.rps), baseline: `direct ${fmtInt(direct.rps)}`, ratio: fmtRatio(gw.rps / direct.rps), target: '≥ 0.40×', met: gw.rps / direct.rps >= 0.4 },
        { id: '2b', figure: `gateway vs http-proxy req/s`, value: fmtInt(gw.rps), baseline: `http-proxy ${fmtInt(hp.rps)}`, ratio: fmtRatio(gw.rps / hp.rps), target: '> 1.00×', met: gw.rps > hp.rps },
        { id: '2c', figure: `gateway p50 latency, ${c} conn, ${fmtInt(cfg.pacedRate)} req/s`, value: `${fmtMs(p(calls.gateway.loaded, 50))} (+${fmtMs(added)})`, baseline: `direct ${fmtMs(p(calls.direct.loaded, 50))}`, ratio: fmtRatio(p(calls.gateway.loaded, 50) / p(calls.direct.loaded, 50)), target: 'added ≤ 1 ms', met: added <= 1 },
        { id: '2d', figure: `gateway p99 latency, ${c} conn, ${fmtInt(cfg.pacedRate)} req/s`, value: fmtMs(p(calls.gateway.loaded, 99)), baseline: `direct ${fmtMs(p(calls.direct.loaded, 99))}`, ratio: fmtRatio(p(calls.gateway.loaded, 99) / p(calls.direct.loaded, 99)), target: '–', met: undefined },
        { id: '2e', figure: `p50 / p99, ${c} conn saturated (autocannon)`, value: `gateway ${gw.p50} / ${gw.p99} ms`, baseline: `direct ${direct.p50} / ${direct.p99} ms`, ratio: '–', target: '–', met: undefined },
        { id: '2f', figure: 'bare node:http forwarder req/s (the floor)', value: fmtInt(floor.rps), baseline: `direct ${fmtInt(direct.rps)}`, ratio: fmtRatio(floor.rps / direct.rps), target: '–', met: undefined },
        { id: '2g', figure: 'CPU a call: gateway vs http-proxy', value: `${fmtInt(gw.cpu)} µs`, baseline: `http-proxy ${fmtInt(hp.cpu)} µs`, ratio: fmtRatio(gw.cpu / hp.cpu), target: '–', met: undefined },
        { id: '2h', figure: 'gateway p50 latency, 1 conn unloaded', value: `${fmtMs(p(calls.gateway.unloaded, 50))} (+${fmtMs(p(calls.gateway.unloaded, 50) - p(calls.direct.unloaded, 50))})`, baseline: `direct ${fmtMs(p(calls.direct.unloaded, 50))}`, ratio: fmtRatio(p(calls.gateway.unloaded, 50) / p(calls.direct.unloaded, 50)), target: '–', met: undefined },
      ],
      notes: [
        `Throughput: autocannon, ${c} connections, ${cfg.rounds} × ${cfg.duration} s per target, interleaved${cfg.warmup ? ', after a 1 s warm-up each' : ''}. At saturation a call's latency is the queue, ${c} connections ÷ throughput, in autocannon's whole milliseconds (mean: direct ${fmtMs(direct.mean)}, gateway ${fmtMs(gw.mean)}, http-proxy ${fmtMs(hp.mean)}, bare ${fmtMs(floor.mean)}); http-proxy ${hp.p50} / ${hp.p99} ms.`,
        `Latency (2c, 2d, 2h): timed here with the high-resolution clock, each call from when it was due: ${fmtInt(loaded.count)} GETs offered at ${fmtInt(cfg.pacedRate)} req/s over up to ${c} keep-alive connections, and ${fmtInt(cfg.unloaded)} one after another on one connection; p99 unloaded direct ${fmtMs(p(calls.direct.unloaded, 99))}, gateway ${fmtMs(p(calls.gateway.unloaded, 99))}.`,
        `CPU a call (user + system, over the measured runs): the backend answering directly ${fmtInt(direct.cpu)} µs; the gateway ${fmtInt(gw.cpu)} µs (and the backend ${fmtInt(gw.backendCpu)} µs); http-proxy ${fmtInt(hp.cpu)} µs (backend ${fmtInt(hp.backendCpu)} µs); the bare node:http forwarder ${fmtInt(floor.cpu)} µs (backend ${fmtInt(floor.backendCpu)} µs).`,
        `Errors, timeouts and non-2xx answers over all runs: ${bad}.`,
      ],
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

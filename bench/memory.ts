/**
 * 5. Memory under a slow reader: the gateway (a process of its own, so its RSS
 * is its own) streams N bytes from a producer in the container to a reader
 * that pulls the SSE stream at a fixed rate, well under the producer's speed.
 *
 * Peak RSS is the kernel's high-water mark (VmHWM), so no spike between two
 * samples is missed. It is reset (`/proc/<pid>/clear_refs`) once the gateway
 * has started and streamed a warm-up spawn at full speed: the figure is the
 * drain's, not start-up's (V8 compiling the hot path, undici's WebAssembly
 * parser), which is reported beside it. RssAnon, sampled, is the gateway's own
 * memory: the rest of its RSS is the node binary and libraries mapped from
 * disk (~45 MB, shared with every node process).
 *
 * Held back, not buffered: the producer's progress is read from the host
 * (containers share its kernel): the bytes its `tr` has written (`wchar` of
 * /proc/<pid>/io), found by a variable only this run puts in its environment.
 * With backpressure the producer keeps the reader's pace, a bounded distance
 * ahead (pipe, socket and stream buffers); without, it would finish at its
 * own speed while the gateway held the difference.
 *
 * Run twice: the gateway with the node flags its command runs with
 * (GATEWAY_NODE_FLAGS, src/gateway/node-flags.ts: judged), and with node's
 * default heap, which shows what those flags are for.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { GATEWAY_NODE_FLAGS } from '../src/gateway/node-flags.js';
import { resetPeak, rss, startChild } from './lib/child.js';
import { CONTAINER, dockerEnv, producer } from './lib/docker.js';
import type { Row, Section } from './lib/report.js';
import { openSession, type Session } from './lib/spawn-client.js';
import { fmtMs, fmtRatio } from './lib/stats.js';

const MB = 1e6;
const fmtMB = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** The host pid of the process named `comm` whose environment holds `marker`, if it runs now. */
function findProcess(comm: string, marker: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) return Number(entry);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined;
}

const written = (pid: number): number | undefined => {
  try {
    return Number(/^wchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
};

function runSpawn(session: Session, argv: string[], env?: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    session
      .spawn(
        { target: 'container', container: CONTAINER, argv, ...(env === undefined ? {} : { env }) },
        { exit: (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited ${code}`))), error: (m) => reject(new Error(m)) },
      )
      .catch(reject);
  });
}

interface Sample {
  t: number;
  produced: number;
  consumed: number;
  rss: number;
  anon: number;
}

async function drain(cfg: { bytes: number; readRate: number; warmup: number }, nodeFlags: readonly string[]) {
  const gateway = await startChild<{ url: string }>('gateway', {}, dockerEnv(), nodeFlags);
  try {
    const warm = await openSession(gateway.info.url);
    await runSpawn(warm, ['sh', '-c', producer(cfg.warmup)]);
    warm.close();
    const idle = rss(gateway.pid);
    const reset = resetPeak(gateway.pid);

    const marker = `DDSHIM_BENCH=${randomBytes(8).toString('hex')}`;
    const [name, value] = marker.split('=') as [string, string];
    let consumed = 0;
    const session = await openSession(gateway.info.url, { readRate: cfg.readRate, onBytes: (n) => (consumed += n) });
    const samples: Sample[] = [];
    let pid: number | undefined;
    let produced = 0;
    let producerDone = 0;
    const t0 = performance.now();
    const sample = () => {
      pid ??= findProcess('tr', marker);
      const w = pid === undefined ? undefined : written(pid);
      if (w !== undefined) {
        produced = w;
        producerDone = performance.now() - t0;
      }
      const mem = rss(gateway.pid);
      samples.push({ t: performance.now() - t0, produced, consumed, rss: mem.now, anon: mem.anon });
    };
    let lost: Error | undefined;
    const timer = setInterval(() => {
      try {
        sample();
      } catch (err) {
        // The gateway is gone (its /proc entry with it): the spawn fails too; say why below.
        lost ??= err as Error;
      }
    }, 50);
    try {
      await runSpawn(session, ['sh', '-c', producer(cfg.bytes)], { [name]: value });
    } catch (err) {
      throw new Error(`the slow-reader spawn failed (${(err as Error).message})${lost ? `; the gateway process is gone (${lost.message})` : ''}; the gateway's last words:\n${gateway.stderr.join('\n')}`);
    } finally {
      clearInterval(timer);
    }
    const totalMs = performance.now() - t0;
    sample();
    session.close();
    // Bytes written over the time the producer was seen running (undefined when it ran between two samples).
    const producerRate = producerDone > 0 ? produced / (producerDone / 1000) : Number.NaN;
    return { idle, reset, peak: rss(gateway.pid).peak, samples, totalMs, producerPid: pid, producerRate };
  } finally {
    await gateway.stop();
  }
}

export async function measureMemory(cfg: { bytes: number; readRate: number; warmup: number; defaultHeap: boolean }): Promise<Section> {
  const plain = await drain(cfg, GATEWAY_NODE_FLAGS);
  const untuned = cfg.defaultHeap ? await drain(cfg, []) : undefined;
  const ahead = Math.max(...plain.samples.map((s) => s.produced - s.consumed));
  const anonPeak = (r: typeof plain) => Math.max(...r.samples.map((s) => s.anon));
  const step = Math.max(1, Math.floor(plain.samples.length / 10));
  const timeline = [
    '| t | producer has written | reader has consumed | gateway RSS | of which its own (RssAnon) |',
    '| --- | --- | --- | --- | --- |',
    ...plain.samples.filter((_, i) => i % step === 0 || i === plain.samples.length - 1).map((s) => `| ${fmtMs(s.t)} | ${fmtMB(s.produced)} | ${fmtMB(s.consumed)} | ${fmtMB(s.rss)} | ${fmtMB(s.anon)} |`),
  ].join('\n');
  const what = `${cfg.bytes / MB} MB to a ${cfg.readRate / MB} MB/s reader`;
  const peakRow = (id: string, figure: string, r: typeof plain): Row => ({
    id,
    figure,
    value: fmtMB(r.peak),
    baseline: `idle ${fmtMB(r.idle.now)}`,
    ratio: fmtRatio(r.peak / r.idle.now),
    target: '≤ 100 MB',
    met: r.peak <= 100 * MB,
  });
  return {
    name: '5. Memory under a slow reader',
    rows: [
      peakRow('5a', `gateway peak RSS, ${what}`, plain),
      {
        id: '5b',
        figure: 'producer pace while drained',
        value: Number.isFinite(plain.producerRate) ? `${(plain.producerRate / MB).toFixed(1)} MB/s` : '– (not seen)',
        baseline: `reader ${(cfg.readRate / MB).toFixed(1)} MB/s`,
        ratio: fmtRatio(plain.producerRate / cfg.readRate),
        target: '≤ 1.25× (held back)',
        met: plain.producerRate <= 1.25 * cfg.readRate,
      },
      ...(untuned === undefined ? [] : [{ ...peakRow('5c', `same, without ${GATEWAY_NODE_FLAGS.join(' ')}`, untuned), target: '–', met: undefined }]),
    ],
    notes: [
      `Peaks are of the drain only (${plain.reset ? `VmHWM reset after start-up and a ${cfg.warmup / MB} MB warm-up spawn at full speed` : 'VmHWM could not be reset: they include start-up'}). The gateway's own memory (RssAnon) peaked at ${fmtMB(anonPeak(plain))} (idle ${fmtMB(plain.idle.anon)})${untuned === undefined ? '' : `, ${fmtMB(anonPeak(untuned))} without ${GATEWAY_NODE_FLAGS.join(' ')}`}; the rest of its RSS is the node binary and libraries.`,
      `The transfer took ${fmtMs(plain.totalMs)}; at most ${fmtMB(ahead)} had been written by the producer and not yet consumed by the reader (the pipe, socket and stream buffers on the way, the gateway's among them).`,
      plain.producerPid === undefined ? 'The producer process was not found on the host (is the engine remote?): its progress is unknown.' : `Producer progress: /proc/${plain.producerPid}/io of its \`tr\`, sampled every 50 ms.`,
    ],
    details: timeline,
  };
}

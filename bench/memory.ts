/**
 * 5. Memory under a slow reader: the gateway (a process of its own, so its RSS
 * is its own) streams N bytes from a producer in the container to a reader
 * that pulls the SSE stream at a fixed rate, well under the producer's speed.
 * Peak RSS is the kernel's high-water mark (VmHWM), so no spike between two
 * samples is missed; the baseline is the gateway's RSS once started and warmed
 * by one small spawn.
 *
 * Held back, not buffered: the producer's progress is read from the host
 * (containers share its kernel): the bytes its `tr` has written (`wchar` of
 * /proc/<pid>/io), found by a variable only this run puts in its environment.
 * With backpressure the producer keeps the reader's pace, a bounded distance
 * ahead (pipe, socket and stream buffers); without, it would finish at its
 * own speed while the gateway held the difference.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { rss, startChild } from './lib/child.js';
import { CONTAINER, dockerEnv, producer } from './lib/docker.js';
import type { Section } from './lib/report.js';
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

export async function measureMemory(cfg: { bytes: number; readRate: number }): Promise<Section> {
  const gateway = await startChild<{ url: string }>('gateway', {}, dockerEnv());
  try {
    const warm = await openSession(gateway.info.url);
    await runSpawn(warm, ['sh', '-c', producer(1e6)]);
    warm.close();
    const idle = rss(gateway.pid).now;

    const marker = `DDSHIM_BENCH=${randomBytes(8).toString('hex')}`;
    const [name, value] = marker.split('=') as [string, string];
    let consumed = 0;
    const session = await openSession(gateway.info.url, { readRate: cfg.readRate, onBytes: (n) => (consumed += n) });
    const samples: Array<{ t: number; produced: number; consumed: number; rss: number }> = [];
    let pid: number | undefined;
    let produced = 0;
    const t0 = performance.now();
    const sample = () => {
      pid ??= findProcess('tr', marker);
      if (pid !== undefined) produced = written(pid) ?? produced;
      samples.push({ t: performance.now() - t0, produced, consumed, rss: rss(gateway.pid).now });
    };
    const timer = setInterval(sample, 100);
    try {
      await runSpawn(session, ['sh', '-c', producer(cfg.bytes)], { [name]: value });
    } finally {
      clearInterval(timer);
    }
    const totalMs = performance.now() - t0;
    sample();
    session.close();
    const peak = rss(gateway.pid).peak;

    // The producer's pace: when it had written half and nine tenths, vs the reader's.
    const when = (bytes: number) => samples.find((s) => s.produced >= bytes)?.t ?? Number.NaN;
    const ahead = Math.max(...samples.map((s) => s.produced - s.consumed));
    const producerRate = (0.9 - 0.5) * cfg.bytes / ((when(0.9 * cfg.bytes) - when(0.5 * cfg.bytes)) / 1000);
    const step = Math.max(1, Math.floor(samples.length / 10));
    const timeline = [
      '| t | producer has written | reader has consumed | gateway RSS |',
      '| --- | --- | --- | --- |',
      ...samples.filter((_, i) => i % step === 0 || i === samples.length - 1).map((s) => `| ${fmtMs(s.t)} | ${fmtMB(s.produced)} | ${fmtMB(s.consumed)} | ${fmtMB(s.rss)} |`),
    ].join('\n');

    return {
      name: '5. Memory under a slow reader',
      rows: [
        { id: '5a', figure: `gateway peak RSS, ${cfg.bytes / MB} MB to a ${cfg.readRate / MB} MB/s reader`, value: fmtMB(peak), baseline: `idle ${fmtMB(idle)}`, ratio: fmtRatio(peak / idle), target: '≤ 100 MB', met: peak <= 100 * MB },
        {
          id: '5b',
          figure: 'producer pace (written 50→90 %)',
          value: `${(producerRate / MB).toFixed(1)} MB/s`,
          baseline: `reader ${(cfg.readRate / MB).toFixed(1)} MB/s`,
          ratio: fmtRatio(producerRate / cfg.readRate),
          target: '≤ 1.25× (held back)',
          met: producerRate <= 1.25 * cfg.readRate,
        },
      ],
      notes: [
        `The whole transfer took ${fmtMs(totalMs)}; at most ${fmtMB(ahead)} were written by the producer and not yet consumed by the reader (pipe, socket and stream buffers on the way, the gateway's among them).`,
        pid === undefined ? 'The producer process was not found on the host (is the engine remote?): its progress is unknown.' : `Producer: host pid ${pid}, sampled every 100 ms.`,
      ],
      details: timeline,
    };
  } finally {
    await gateway.stop();
  }
}

/**
 * 4. Stream throughput and first byte.
 *
 * Throughput: a process in the container writes N bytes to stdout (busybox
 * `head -c N /dev/zero | tr '\0' a`), consumed through the session's SSE stream
 * by a client that parses every event with the shim's own reader
 * (src/shim/sse.ts, eventsource-parser) and JSON-decodes it, vs the same
 * command under `docker exec` with its stdout on /dev/null (the raw pipe). Both
 * are timed from the request to the end (the exec's own set-up included).
 *
 * First byte: the process prints the time it writes, read with busybox
 * `adjtimex` (microseconds of CLOCK_REALTIME; busybox `date` has no %N). The
 * containers share this machine's kernel, so that clock is the one the client
 * reads too; the client subtracts it from the time the event arrives. Twice a
 * run: at once when the process starts (the gateway must first see it start,
 * see src/gateway/engine/spawn.ts), and again 200 ms later, mid-stream. The same
 * for the `docker exec` CLI's piped stdout is the baseline.
 */
import { spawn } from 'node:child_process';
import { rss, run, startChild } from './lib/child.js';
import { CONTAINER, dockerEnv, producer } from './lib/docker.js';
import type { Section } from './lib/report.js';
import { openSession } from './lib/spawn-client.js';
import { fmtMs, fmtRate, fmtRatio, median } from './lib/stats.js';
import { wallMs } from './lib/stats.js';

const STAMPS = 'adjtimex; sleep 0.2; adjtimex';
const STAMP = /time\.tv_sec:\s+(\d+)\s+time\.tv_usec:\s+(\d+)/g;

/** Feeds output text; returns the latency (ms) of each timestamp it completes, using `arrived` as their arrival time. */
function stampReader(): (text: string, arrived: number) => number[] {
  let buffer = '';
  let seen = 0;
  return (text, arrived) => {
    buffer += text;
    const stamps = [...buffer.matchAll(STAMP)].slice(seen);
    seen += stamps.length;
    return stamps.map((m) => arrived - (Number(m[1]) * 1000 + Number(m[2]) / 1000));
  };
}

export async function measureStream(cfg: { bytes: number; rounds: number; firstByteTrials: number }): Promise<Section> {
  const env = dockerEnv();
  const gateway = await startChild<{ url: string }>('gateway', {}, env);
  try {
    const command = producer(cfg.bytes);

    const raw = async (): Promise<number> => {
      const t0 = performance.now();
      const { code, stderr } = await run('docker', ['exec', CONTAINER, 'sh', '-c', command], { env, stdout: 'ignore' });
      if (code !== 0) throw new Error(`docker exec … ${command} exited ${code}: ${stderr}`);
      return performance.now() - t0;
    };
    const alone = async (): Promise<number> => {
      const t0 = performance.now();
      await run('docker', ['exec', CONTAINER, 'sh', '-c', `${command} > /dev/null`], { env });
      return performance.now() - t0;
    };
    const session = await openSession(gateway.info.url);
    const viaGateway = async (): Promise<number> => {
      let bytes = 0;
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        session
          .spawn(
            { target: 'container', container: CONTAINER, argv: ['sh', '-c', command] },
            {
              output: (text) => (bytes += text.length),
              exit: (code) => (code === 0 ? resolve() : reject(new Error(`the producer exited ${code}`))),
              error: (message) => reject(new Error(message)),
            },
          )
          .catch(reject);
      });
      const ms = performance.now() - t0;
      if (bytes !== cfg.bytes) throw new Error(`the SSE stream carried ${bytes} bytes of output, not ${cfg.bytes}`);
      return ms;
    };

    // Throughput: rounds of raw pipe and gateway (the order flips each round), then the producer alone (what limits both).
    let rawMs = 0;
    let gwMs = 0;
    for (let r = 0; r < cfg.rounds; r++) {
      if (r % 2 === 0) {
        rawMs += await raw();
        gwMs += await viaGateway();
      } else {
        gwMs += await viaGateway();
        rawMs += await raw();
      }
    }
    rawMs /= cfg.rounds;
    gwMs /= cfg.rounds;
    const aloneMs = await alone();
    const gatewayPeak = rss(gateway.pid).peak;

    // First byte, alternating the two ways.
    const firstGw: number[] = [];
    const midGw: number[] = [];
    const firstCli: number[] = [];
    const midCli: number[] = [];
    for (let i = 0; i < cfg.firstByteTrials; i++) {
      const read = stampReader();
      const gwLat: number[] = [];
      await new Promise<void>((resolve, reject) => {
        session
          .spawn(
            { target: 'container', container: CONTAINER, argv: ['sh', '-c', STAMPS] },
            { output: (text) => gwLat.push(...read(text, wallMs())), exit: () => resolve(), error: (m) => reject(new Error(m)) },
          )
          .catch(reject);
      });
      const cliLat = await new Promise<number[]>((resolve, reject) => {
        const readCli = stampReader();
        const lat: number[] = [];
        const proc = spawn('docker', ['exec', CONTAINER, 'sh', '-c', STAMPS], { env, stdio: ['ignore', 'pipe', 'ignore'] });
        proc.stdout.setEncoding('utf8').on('data', (text: string) => lat.push(...readCli(text, wallMs())));
        proc.once('error', reject);
        proc.once('close', () => resolve(lat));
      });
      if (gwLat.length !== 2 || cliLat.length !== 2) throw new Error(`expected two timestamps each, got ${gwLat.length} through the gateway and ${cliLat.length} from the CLI`);
      firstGw.push(gwLat[0]!);
      midGw.push(gwLat[1]!);
      firstCli.push(cliLat[0]!);
      midCli.push(cliLat[1]!);
    }
    session.close();

    const f = { gw: median(firstGw), cli: median(firstCli), mgw: median(midGw), mcli: median(midCli) };
    return {
      name: '4. Stream throughput and first byte',
      rows: [
        { id: '4a', figure: `stdout ${cfg.bytes / 1e6} MB through SSE`, value: fmtRate(cfg.bytes, gwMs), baseline: `raw pipe ${fmtRate(cfg.bytes, rawMs)}`, ratio: fmtRatio(rawMs / gwMs), target: '≥ 0.50×', met: rawMs / gwMs >= 0.5 },
        { id: '4b', figure: 'first chunk, written → parsed, median', value: fmtMs(f.gw), baseline: `docker exec ${fmtMs(f.cli)}`, ratio: fmtRatio(f.gw / f.cli), target: '≤ 20 ms', met: f.gw <= 20 },
        { id: '4c', figure: 'mid-stream chunk, written → parsed, median', value: fmtMs(f.mgw), baseline: `docker exec ${fmtMs(f.mcli)}`, ratio: fmtRatio(f.mgw / f.mcli), target: '–', met: undefined },
      ],
      notes: [
        `Throughput: ${cfg.bytes / 1e6} MB in ${fmtMs(gwMs)} through the gateway, ${fmtMs(rawMs)} by \`docker exec … > /dev/null\` (${cfg.rounds === 1 ? 'one run each' : `means of ${cfg.rounds} rounds, interleaved`}); the producer alone (its output on /dev/null inside the container) takes ${fmtMs(aloneMs)} (${fmtRate(cfg.bytes, aloneMs)}). The gateway's peak RSS meanwhile: ${(gatewayPeak / 1e6).toFixed(1)} MB.`,
        `First byte: medians of ${cfg.firstByteTrials} runs each; the worst first chunk took ${fmtMs(Math.max(...firstGw))} through the gateway, ${fmtMs(Math.max(...firstCli))} from the CLI; the worst mid-stream one ${fmtMs(Math.max(...midGw))} and ${fmtMs(Math.max(...midCli))}.`,
      ],
    };
  } finally {
    await gateway.stop();
  }
}

// Issue 7, faults in the output itself: bytes that are not UTF-8, output that
// looks like SSE framing, a 10 MiB line with no newline, and 200 MB to a reader
// that reads slowly. The gateway runs in a child process, so the peak RSS
// figures are its own. (A character split across writes: spawn-sessions.test.ts.)
import { request } from 'node:http';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLIENT_HEADER } from '../../src/protocol.js';
import { describeWithDocker, dockerHost, psInContainer } from '../helpers/docker.js';
import { startThrowawayContainer } from './support/container.js';
import { send } from '../helpers/gateway.js';
import { figure, MiB, startChildGateway, type ChildGateway } from './support/child-gateway.js';

const id = () => `p${Math.random().toString(36).slice(2, 14)}`;

interface Stream {
  /** Resolves when the spawn's exit (or error) event arrives, with what was seen. */
  done: Promise<{ stdout: string; stdoutBytes: number; biggestEvent: number; end: { name: string; data: Record<string, unknown> }; names: string[] }>;
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * Opens a session's event stream with node:http, so reading can be paused at
 * will. Keeps stdout text only up to `keep` characters (200 MB would not fit
 * the test's own memory budget), but counts all of it.
 */
function openStream(port: number, session: string, spawnId: string, keep = 1024 * 1024): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/_dd/spawn/events?session=${session}`, headers: { [CLIENT_HEADER]: '1' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`spawn/events answered ${res.statusCode}`));
      let stdout = '';
      let stdoutBytes = 0;
      let biggestEvent = 0;
      const names: string[] = [];
      let finish!: (v: Awaited<Stream['done']>) => void;
      const done = new Promise<Awaited<Stream['done']>>((r) => (finish = r));
      const parser = createParser({
        onEvent: (e) => {
          names.push(e.event ?? 'message');
          biggestEvent = Math.max(biggestEvent, e.data.length);
          const data = JSON.parse(e.data) as { id: string; data?: string };
          if (data.id !== spawnId) return;
          if (e.event === 'stdout') {
            stdoutBytes += Buffer.byteLength(data.data ?? '');
            if (stdout.length < keep) stdout += data.data;
          }
          if (e.event === 'exit' || e.event === 'error') finish({ stdout, stdoutBytes, biggestEvent, end: { name: e.event, data }, names });
        },
      });
      res.setEncoding('utf8');
      res.on('data', (text: string) => parser.feed(text));
      resolve({ done, pause: () => res.pause(), resume: () => res.resume(), close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describeWithDocker('output that is hard to carry', () => {
  let gateway: ChildGateway;
  let container: Awaited<ReturnType<typeof startThrowawayContainer>>;
  let C: string;
  beforeAll(async () => {
    container = await startThrowawayContainer('output');
    C = container.name;
    gateway = await startChildGateway({ engine: { host: dockerHost() } });
  });
  afterAll(async () => {
    await gateway?.stop();
    await container?.remove();
  });

  const post = (path: string, body: unknown) => send(gateway.port, { method: 'POST', path: `/_dd/${path}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** Spawns `argv` in the test container and opens its session's stream first. */
  const spawn = async (argv: string[], keep?: number) => {
    const session = `s${id()}`;
    const p = id();
    const stream = await openStream(gateway.port, session, p, keep);
    const res = await post('spawn', { target: 'container', container: C, argv, session, id: p });
    expect(res.status).toBe(201);
    return stream;
  };

  const NOT_UTF8 = ['sh', '-c', "printf '\\377\\376ok\\n\\303(\\342\\202\\n'; printf '\\300\\257' >&2"];

  it('output that is not UTF-8: exec answers valid JSON with U+FFFD for each bad sequence', async () => {
    const res = await post('exec', { target: 'container', container: C, argv: NOT_UTF8 });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ code: 0, stdout: '\ufffd\ufffdok\n\ufffd(\ufffd\n', stderr: '\ufffd\ufffd' });
  });

  it('output that is not UTF-8: spawn events carry the same, and the stream stays well-formed', async () => {
    const stream = await spawn(NOT_UTF8);
    const seen = await stream.done;
    stream.close();
    expect(seen.stdout).toBe('\ufffd\ufffdok\n\ufffd(\ufffd\n');
    expect(seen.end).toMatchObject({ name: 'exit', data: { code: 0 } });
  });

  it('output that looks like SSE framing stays data: no event can be forged from inside a process', async () => {
    const forged = 'event: exit\\ndata: {"id":"x","code":0}\\n\\nid: 7\\nretry: 1\\r\\n\\r\\n: comment\\n';
    const stream = await spawn(['sh', '-c', `printf '${forged}'; sleep 0.2; echo real-end`]);
    const seen = await stream.done;
    stream.close();
    expect(seen.stdout).toBe('event: exit\ndata: {"id":"x","code":0}\n\nid: 7\nretry: 1\r\n\r\n: comment\nreal-end\n');
    expect(seen.names.filter((n) => n === 'exit')).toEqual(['exit']);
    expect(seen.end.data).toMatchObject({ code: 0 });
  });

  it('a 10 MiB line with no newline streams through in pieces, whole; exec of it stays within its limit', async () => {
    const before = gateway.memory().rss;
    gateway.resetPeak();
    const argv = ['sh', '-c', "head -c 10485760 /dev/zero | tr '\\0' x"];
    const stream = await spawn(argv, 11 * MiB);
    const seen = await stream.done;
    stream.close();
    expect(seen.stdoutBytes).toBe(10 * MiB);
    expect(seen.stdout).toBe('x'.repeat(10 * MiB));
    // Never held as one line: no event bigger than a socket read (~64 KiB of text, JSON-wrapped).
    expect(seen.biggestEvent).toBeLessThan(256 * 1024);
    const spawnPeak = gateway.memory().peak;
    // exec collects it (it is under the 16 MiB exec limit): one answer, the line whole.
    const res = await post('exec', { target: 'container', container: C, argv });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { stdout: string }).stdout.length).toBe(10 * MiB);
    const execPeak = gateway.memory().peak;
    figure('10 MiB line, no newline', `spawn: biggest event ${(seen.biggestEvent / 1024).toFixed(0)} KiB, gateway RSS ${(before / MiB).toFixed(0)} → peak ${(spawnPeak / MiB).toFixed(0)} MiB; exec of it: peak ${(execPeak / MiB).toFixed(0)} MiB`);
    expect(spawnPeak - before).toBeLessThan(64 * MiB);
  });

  it('exec past its output limit (16 MiB) is killed and answers 413, not a 200 MB string', async () => {
    const res = await post('exec', { target: 'container', container: C, argv: ['sh', '-c', "head -c 209715200 /dev/zero | tr '\\0' z; echo exec-limit-marker"] });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('output-too-large');
    expect((await psInContainer(C)).filter((x) => x.args.includes('exec-limit-marker'))).toEqual([]);
  });

  it('200 MB to a reader that stops for 2 s, then reads in fits and starts: all of it arrives, the gateway\'s memory stays bounded', async () => {
    const total = 200 * 1024 * 1024;
    const before = gateway.memory().rss;
    gateway.resetPeak();
    const start = Date.now();
    const stream = await spawn(['sh', '-c', `head -c ${total} /dev/zero | tr '\\0' y`], 0);
    // Not reading at all for 2 s: the process must be held back, not buffered.
    stream.pause();
    await new Promise((r) => setTimeout(r, 2_000));
    const whilePaused = gateway.memory();
    // Then 150 ms of reading, 100 ms of not, until the end.
    let reading = true;
    stream.resume();
    const fits = setInterval(() => {
      reading = !reading;
      if (reading) stream.resume();
      else stream.pause();
    }, 125);
    const seen = await stream.done.finally(() => clearInterval(fits));
    stream.close();
    const ms = Date.now() - start;
    const { peak } = gateway.memory();
    expect(seen.end).toMatchObject({ name: 'exit', data: { code: 0 } });
    expect(seen.stdoutBytes).toBe(total);
    figure(
      '200 MB to a slow reader (2 s stopped, then 60% duty)',
      `all ${total} bytes in ${(ms / 1000).toFixed(1)} s; gateway RSS ${(before / MiB).toFixed(0)} MiB before, ${(whilePaused.rss / MiB).toFixed(0)} MiB while the reader stopped, peak ${(peak / MiB).toFixed(0)} MiB`,
    );
    expect(whilePaused.rss - before).toBeLessThan(32 * MiB);
    expect(peak - before).toBeLessThan(100 * MiB);
  });
});

// @vitest-environment node
// The Docker Engine client (src/gateway/engine) against a real engine (issue 3):
// start one with `scripts/docker-engine.sh up`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/gateway/errors.js';
import { createDemuxer, createEngine, parseDockerHost, resolveDockerHost, type Engine, type OutputChunk, type RunningProcess } from '../../src/gateway/engine/index.js';
import { describeWithDocker, dockerHost, NO_SHELL_CONTAINER, psInContainer, STOPPED_CONTAINER, TEST_CONTAINER as C } from '../helpers/docker.js';

/** Rejection of `p` as a GatewayError (fails the test when it resolves or throws something else). */
async function gatewayError(p: Promise<unknown>): Promise<GatewayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

async function readAll(proc: RunningProcess): Promise<OutputChunk[]> {
  const chunks: OutputChunk[] = [];
  for await (const chunk of proc.output as AsyncIterable<OutputChunk>) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: OutputChunk[], stream: OutputChunk['stream']) =>
  chunks
    .filter((c) => c.stream === stream)
    .map((c) => c.text)
    .join('');

/**
 * Polls `ps` in the container until no process matches `pattern`, or `ms` pass; returns the matches left.
 * The sleeps here use durations (41xx s) no other test file uses, since files run in parallel in the same containers.
 */
async function waitGone(pattern: RegExp, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = (await psInContainer(C)).filter((p) => pattern.test(p.args)).map((p) => `${p.pid} ${p.args}`);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('createDemuxer', () => {
  const frame = (type: number, payload: string) => {
    const body = Buffer.from(payload);
    const head = Buffer.alloc(8);
    head[0] = type;
    head.writeUInt32BE(body.length, 4);
    return Buffer.concat([head, body]);
  };

  it('reassembles frames fed one byte at a time, headers split anywhere', () => {
    const raw = Buffer.concat([frame(1, 'out'), frame(2, 'err'), frame(1, ''), frame(1, 'é!')]);
    const got: string[] = [];
    const demux = createDemuxer((stream, payload) => got.push(`${stream}:${payload.toString('latin1')}`));
    for (const byte of raw) demux.feed(Buffer.from([byte]));
    expect(got.join('').replace(/stdout:|stderr:/g, (m) => `|${m}`)).toBe(
      ['', 'stdout:o', 'stdout:u', 'stdout:t', 'stderr:e', 'stderr:r', 'stderr:r', 'stdout:\xc3', 'stdout:\xa9', 'stdout:!'].join('|'),
    );
    expect(demux.pending).toBe(0);
  });

  it('rejects a stream that is not multiplexed (a TTY stream)', () => {
    const demux = createDemuxer(() => {});
    expect(() => demux.feed(Buffer.from('hello world\n'))).toThrow(/not a multiplexed Docker stream/);
  });
});

describe('Docker host resolution', () => {
  it('prefers DOCKER_HOST', () => {
    expect(resolveDockerHost({ DOCKER_HOST: 'tcp://10.0.0.1:2375' }, '/nonexistent')).toBe('tcp://10.0.0.1:2375');
  });

  it('reads the current docker context, else the default socket', () => {
    const home = mkdtempSync(join(tmpdir(), 'ddshim-home-'));
    expect(resolveDockerHost({}, home)).toBe('unix:///var/run/docker.sock');
    const id = createHash('sha256').update('remote').digest('hex');
    mkdirSync(join(home, '.docker', 'contexts', 'meta', id), { recursive: true });
    writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    writeFileSync(join(home, '.docker', 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'unix:///run/remote.sock' } } }));
    expect(resolveDockerHost({}, home)).toBe('unix:///run/remote.sock');
    expect(resolveDockerHost({ DOCKER_CONTEXT: 'default' }, home)).toBe('unix:///var/run/docker.sock');
    expect(() => resolveDockerHost({ DOCKER_CONTEXT: 'nope' }, home)).toThrow(/docker context "nope"/);
  });

  it('parses unix and tcp hosts, and says TLS is not supported', () => {
    expect(parseDockerHost('unix:///var/run/docker.sock', {})).toEqual({ host: 'unix:///var/run/docker.sock', origin: 'http://localhost', socketPath: '/var/run/docker.sock' });
    expect(parseDockerHost('tcp://127.0.0.1', {}).origin).toBe('http://127.0.0.1:2375');
    expect(parseDockerHost('tcp://[::1]:2376', {}).origin).toBe('http://[::1]:2376');
    expect(parseDockerHost('tcp://127.0.0.1:2376', { DOCKER_TLS_VERIFY: '1' }).unsupported).toMatch(/TLS is not supported/);
    expect(parseDockerHost('ssh://me@host', {}).unsupported).toMatch(/ssh:\/\/ Docker hosts are not supported/);
  });
});

describe('an unreachable engine', () => {
  it('fails with engine-unreachable, naming the host and how to start one', async () => {
    const engine = createEngine({ host: 'unix:///nonexistent/docker.sock' });
    const err = await gatewayError(engine.exec({ container: C, argv: ['true'] }));
    expect(err.status).toBe(503);
    expect(err.code).toBe('engine-unreachable');
    expect(err.message).toContain('unix:///nonexistent/docker.sock');
    expect(err.message).toContain('scripts/docker-engine.sh up');
    expect((await gatewayError(engine.ping())).code).toBe('engine-unreachable');
    await engine.close();
  });

  it('reports a TLS host on every call', async () => {
    const prev = process.env.DOCKER_TLS_VERIFY;
    process.env.DOCKER_TLS_VERIFY = '1';
    try {
      const engine = createEngine({ host: 'tcp://127.0.0.1:2376' });
      const err = await gatewayError(engine.ping());
      expect(err.message).toMatch(/TLS is not supported/);
      await engine.close();
    } finally {
      if (prev === undefined) delete process.env.DOCKER_TLS_VERIFY;
      else process.env.DOCKER_TLS_VERIFY = prev;
    }
  });
});

describeWithDocker('engine against a real Docker engine', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine({ host: dockerHost() });
  });
  afterAll(() => engine?.close());

  describe('exec', () => {
    it('runs a command: exit 0', async () => {
      expect(await engine.exec({ container: C, argv: ['true'] })).toEqual({ cmd: 'true', code: 0, signal: null, killed: false, stdout: '', stderr: '' });
    });

    it('keeps stdout and stderr apart and returns the exit code', async () => {
      const r = await engine.exec({ container: C, argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
      expect(r).toEqual({ cmd: 'sh -c echo out; echo err >&2; exit 3', code: 3, signal: null, killed: false, stdout: 'out\n', stderr: 'err\n' });
    });

    it('keeps each stream in order when they interleave', async () => {
      const r = await engine.exec({ container: C, argv: ['sh', '-c', 'for i in 1 2 3 4 5; do echo o$i; echo e$i >&2; done'] });
      expect(r.stdout).toBe('o1\no2\no3\no4\no5\n');
      expect(r.stderr).toBe('e1\ne2\ne3\ne4\ne5\n');
    });

    it('returns 1 MiB of output intact', async () => {
      const r = await engine.exec({ container: C, argv: ['sh', '-c', 'seq 1 170000'] });
      const expected = Array.from({ length: 170000 }, (_, i) => `${i + 1}\n`).join('');
      expect(expected.length).toBeGreaterThan(1024 * 1024);
      expect(r.stdout.length).toBe(expected.length);
      expect(r.stdout === expected).toBe(true);
    });

    it('honours cwd and env', async () => {
      const r = await engine.exec({ container: C, argv: ['sh', '-c', 'pwd; echo "$FOO|$EMPTY|"'], cwd: '/tmp', env: { FOO: 'bar "baz" €', EMPTY: '' } });
      expect(r.stdout).toBe('/tmp\nbar "baz" €||\n');
    });

    it('fails on a missing container with no-such-container, naming it', async () => {
      const err = await gatewayError(engine.exec({ container: 'ddshim-no-such', argv: ['true'] }));
      expect([err.status, err.code]).toEqual([404, 'no-such-container']);
      expect(err.message).toContain('"ddshim-no-such"');
      expect(err.message).toContain(dockerHost());
    });

    it('fails on a stopped container with container-not-running', async () => {
      const err = await gatewayError(engine.exec({ container: STOPPED_CONTAINER, argv: ['true'] }));
      expect([err.status, err.code]).toEqual([409, 'container-not-running']);
      expect(err.message).toContain(`docker start ${STOPPED_CONTAINER}`);
    });

    it('reports a missing binary like docker exec: 126/127 and the message on stderr', async () => {
      const r = await engine.exec({ container: C, argv: ['ddshim-no-such-binary', '--flag'] });
      expect([126, 127]).toContain(r.code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/OCI runtime exec failed.*"ddshim-no-such-binary".*not found/);
    });

    it('kills a process whose output passes maxOutputBytes, and says so', async () => {
      const small = createEngine({ host: dockerHost(), maxOutputBytes: 10_000 });
      try {
        const err = await gatewayError(small.exec({ container: C, argv: ['sh', '-c', 'seq 1 1000000000; sleep 4104'] }));
        expect([err.status, err.code]).toEqual([413, 'output-too-large']);
        expect(await waitGone(/seq 1 1000000000|sleep 4104/, 2000)).toEqual([]);
      } finally {
        await small.close();
      }
    });

    it('rejects an empty argv and a bad env name before calling the engine', async () => {
      expect((await gatewayError(engine.exec({ container: C, argv: [] }))).code).toBe('bad-request');
      expect((await gatewayError(engine.exec({ container: C, argv: ['true'], env: { 'A=B': 'x' } }))).code).toBe('bad-request');
    });
  });

  describe('spawn', () => {
    it('delivers chunks as they come, before the process exits', async () => {
      const t0 = Date.now();
      const proc = await engine.spawn({ container: C, argv: ['sh', '-c', 'echo a; sleep 1; echo b'] });
      let exitedAt = 0;
      void proc.exited.then(() => (exitedAt = Date.now()));
      const it = (proc.output as AsyncIterable<OutputChunk>)[Symbol.asyncIterator]();
      const first = await it.next();
      const firstAt = Date.now();
      expect(first.value).toEqual({ stream: 'stdout', text: 'a\n' });
      expect(exitedAt).toBe(0);
      const rest: OutputChunk[] = [];
      for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
      expect(rest).toEqual([{ stream: 'stdout', text: 'b\n' }]);
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(firstAt - t0).toBeLessThan(900);
      expect(exitedAt - t0).toBeGreaterThanOrEqual(1000);
    });

    it('resolves exited with the exit code', async () => {
      const proc = await engine.spawn({ container: C, argv: ['sh', '-c', 'echo bye >&2; exit 5'] });
      expect(await readAll(proc)).toEqual([{ stream: 'stderr', text: 'bye\n' }]);
      expect(await proc.exited).toEqual({ code: 5, signal: null });
    });

    it('interleaves stdout and stderr in the order written', async () => {
      const proc = await engine.spawn({ container: C, argv: ['sh', '-c', 'echo 1; sleep 0.1; echo 2 >&2; sleep 0.1; echo 3; sleep 0.1; echo 4 >&2'] });
      expect(await readAll(proc)).toEqual([
        { stream: 'stdout', text: '1\n' },
        { stream: 'stderr', text: '2\n' },
        { stream: 'stdout', text: '3\n' },
        { stream: 'stderr', text: '4\n' },
      ]);
    });

    it('passes argv verbatim: quotes reach the program', async () => {
      const proc = await engine.spawn({ container: C, argv: ['echo', '"{{json .}}"', "it's"] });
      expect(textOf(await readAll(proc), 'stdout')).toBe('"{{json .}}" it\'s\n');
    });

    it('keeps a multi-byte character split across two writes whole', async () => {
      const proc = await engine.spawn({ container: C, argv: ['sh', '-c', "printf '\\342\\202'; sleep 0.2; printf '\\254'"] });
      expect(await readAll(proc)).toEqual([{ stream: 'stdout', text: '€' }]);
      expect((await proc.exited).code).toBe(0);
    });

    it('rejects a missing binary with command-not-found', async () => {
      const err = await gatewayError(engine.spawn({ container: C, argv: ['ddshim-no-such-binary'] }));
      expect([err.status, err.code]).toEqual([404, 'command-not-found']);
      expect(err.message).toMatch(/"ddshim-no-such-binary".*"ddshim-c"/);
    });

    it('rejects a missing cwd with cannot-start, and a missing container with no-such-container', async () => {
      const err = await gatewayError(engine.spawn({ container: C, argv: ['true'], cwd: '/ddshim/nope' }));
      expect([err.status, err.code]).toEqual([400, 'cannot-start']);
      expect(err.message).toContain('/ddshim/nope');
      expect((await gatewayError(engine.spawn({ container: 'ddshim-no-such', argv: ['true'] }))).code).toBe('no-such-container');
    });

    it('runs 20 spawns concurrently', async () => {
      const procs = await Promise.all(Array.from({ length: 20 }, (_, i) => engine.spawn({ container: C, argv: ['sh', '-c', 'echo start $0; sleep 0.3; echo end $0', `n${i}`] })));
      const results = await Promise.all(procs.map(async (p) => ({ out: textOf(await readAll(p), 'stdout'), exit: await p.exited })));
      results.forEach((r, i) => {
        expect(r.out).toBe(`start n${i}\nend n${i}\n`);
        expect(r.exit).toEqual({ code: 0, signal: null });
      });
    });
  });

  describe('kill', () => {
    it('ends the process inside the container within 2 s', async () => {
      const proc = await engine.spawn({ container: C, argv: ['sleep', '4100'] });
      expect((await psInContainer(C)).some((p) => p.args === 'sleep 4100')).toBe(true);
      const t0 = Date.now();
      await proc.kill();
      expect(await waitGone(/^sleep 4100$/, 2000 - (Date.now() - t0))).toEqual([]);
      expect(await readAll(proc)).toEqual([]);
      expect(await proc.exited).toEqual({ code: null, signal: 'SIGTERM' });
      await proc.kill(); // idempotent
    });

    it('takes the children too, and SIGKILLs what ignores SIGTERM', async () => {
      const proc = await engine.spawn({ container: C, argv: ['sh', '-c', "trap '' TERM; sleep 4101 & sleep 4102 & wait"] });
      await new Promise((r) => setTimeout(r, 200)); // let the children start
      await proc.kill();
      expect(await waitGone(/sleep 410[12]|trap/, 2000)).toEqual([]);
      proc.output.resume();
      expect(await proc.exited).toEqual({ code: null, signal: 'SIGKILL' });
    });

    it('falls back to the host pid in a container without sh (local engine)', async () => {
      const proc = await engine.spawn({ container: NO_SHELL_CONTAINER, argv: ['/bin/sleep', '4106'] });
      await proc.kill();
      proc.output.resume();
      expect(await proc.exited).toEqual({ code: null, signal: 'SIGTERM' });
      const running = (await engine.getJson(`/containers/${NO_SHELL_CONTAINER}/top`)) as { Processes: string[][] };
      expect(running.Processes.map((p) => p.join(' ')).filter((p) => p.includes('4106'))).toEqual([]);
    });

    it('leaves no process behind after 50 killed spawns', async () => {
      const procs = await Promise.all(Array.from({ length: 50 }, () => engine.spawn({ container: C, argv: ['sleep', '4103'] })));
      expect((await psInContainer(C)).filter((p) => p.args === 'sleep 4103').length).toBe(50);
      await Promise.all(procs.map((p) => p.kill()));
      expect(await waitGone(/^sleep 4103$/, 2000)).toEqual([]);
      procs.forEach((p) => p.output.destroy());
      await Promise.all(procs.map((p) => p.exited));
    }, 60_000);
  });

  it('applies backpressure: 200 MB nobody reads does not grow the gateway by more than ~50 MB', async () => {
    const proc = await engine.spawn({ container: C, argv: ['sh', '-c', 'yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | head -c 200000000'] });
    const it = (proc.output as AsyncIterable<OutputChunk>)[Symbol.asyncIterator]();
    for (let i = 0; i < 5; i++) expect((await it.next()).done).toBe(false);
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    await new Promise((r) => setTimeout(r, 3000)); // the process would write ~GBs in this time if nothing held it
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(50 * 1024 * 1024);
    // Still there, blocked on a full pipe (busybox ps shows a forked applet as `{head} sh -c …`).
    expect((await psInContainer(C)).some((p) => p.args.startsWith('{head}'))).toBe(true);
    await proc.kill();
    proc.output.destroy();
    expect(await proc.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await waitGone(/yes 0123|head -c/, 2000)).toEqual([]);
  }, 20_000);

  it('getJson passes Engine API JSON through and status errors as GatewayError', async () => {
    const list = (await engine.getJson('/containers/json?all=1')) as { Names: string[] }[];
    expect(list.some((c) => c.Names.includes(`/${C}`))).toBe(true);
    const err = await gatewayError(engine.getJson('/containers/ddshim-no-such/json'));
    expect([err.status, err.code]).toEqual([404, 'not-found']);
    await engine.ping();
  });
});

// Issue 7, faults on the Docker side: the engine unreachable at start, the
// engine stopped mid-spawn (a second private engine of our own, so the shared
// one the other suites use keeps running), our connection to the engine lost
// while it runs on (a TCP proxy we cut), and a container removed mid-exec.
// Each: a clear error in the page, the gateway still serving, and no process
// left in a container.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithDocker, dockerHost, psInContainer, TEST_CONTAINER } from '../helpers/docker.js';
import { send, startTestGateway } from '../helpers/gateway.js';
import { openSession } from '../helpers/spawn-client.js';
import { figure } from './support/child-gateway.js';

const run = promisify(execFile);
const SCRIPT = resolve('scripts/docker-engine.sh');
const id = () => `p${Math.random().toString(36).slice(2, 14)}`;
const marker = () => `m${Math.random().toString(36).slice(2, 10)}`;
/** A shell loop that prints a tick every 100 ms, its marker in its argv so `ps` finds it. */
const ticker = (m: string) => ['sh', '-c', 'while :; do echo tick; sleep 0.1; done', m];

const exec = (port: number, container: string, argv: string[]) =>
  send(port, { method: 'POST', path: '/_dd/exec', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'container', container, argv }) });
const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

describeWithDocker('a Docker engine of our own, stopped and started under the gateway', () => {
  // Its own dir: its own socket, data root, exec root (containerd), pid file (scripts/docker-engine.sh).
  // Short, under /tmp: containerd's socket path in it must stay under 108 bytes.
  let dir = '';
  let host = '';
  const engine = async (...args: string[]) => {
    const start = Date.now();
    await run(SCRIPT, args, { env: { ...process.env, DDSHIM_DOCKER_DIR: dir } });
    return Date.now() - start;
  };
  const ps = async (m: string) => {
    const { stdout } = await run('docker', ['exec', TEST_CONTAINER, 'ps', '-o', 'args'], { env: { ...process.env, DOCKER_HOST: host } });
    return stdout.split('\n').filter((l) => l.includes(m) && !l.startsWith('ps '));
  };
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/ddshim-eng-');
    host = `unix://${join(dir, 'docker.sock')}`;
    // Started before its engine exists: the engine is unreachable at start.
    gateway = await startTestGateway({ engine: { host }, maxSpawns: 1 });
  });
  afterAll(async () => {
    await gateway?.close();
    if (dir === '') return;
    await engine('down', '--purge').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the engine unreachable: exec and spawn say so (503, what to do), the rest works', async () => {
    const res = await exec(gateway.port, TEST_CONTAINER, ['true']);
    expect(res.status).toBe(503);
    expect(errorOf(res.body)).toMatchObject({ code: 'engine-unreachable' });
    expect(errorOf(res.body).message).toContain(host);
    expect(errorOf(res.body).message).toContain('scripts/docker-engine.sh up');
    const s = await openSession(gateway.url);
    const spawn = await s.spawn(id(), { target: 'container', container: TEST_CONTAINER, argv: ['true'] });
    expect(spawn.status).toBe(503);
    await s.drop();
    expect((await send(gateway.port, { path: '/_dd/info' })).status).toBe(200);
  });

  it('works as soon as the engine is up, with no restart of the gateway', async () => {
    figure('second private engine: first up (images built)', `${await engine('up')} ms`);
    const res = await exec(gateway.port, TEST_CONTAINER, ['echo', 'hi']);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ code: 0, stdout: 'hi\n' });
  });

  it('engine stopped mid-spawn: the spawn ends (an exit, or an error naming the engine), its slot is freed, a later spawn works once it is back, nothing is left', async () => {
    const s = await openSession(gateway.url);
    const p = id();
    const m = marker();
    expect((await s.spawn(p, { target: 'container', container: TEST_CONTAINER, argv: ticker(m) })).status).toBe(201);
    await s.until(() => s.output(p).includes('tick\ntick\n'));
    // (A fork of the shell, not yet exec'd into `sleep`, shows the same command line: one or two.)
    expect((await ps(m)).length).toBeGreaterThanOrEqual(1);
    const down = engine('down');
    const t = Date.now();
    await s.until((events) => events.some((e) => e.name === 'error' || e.name === 'exit'), 20_000);
    const last = s.events.find((e) => e.name === 'error' || e.name === 'exit')!;
    // Whichever the engine managed first: it recorded the kill of the container's processes at
    // shutdown (exit 137), or it was gone before it could (an error naming it). Both end the spawn.
    if (last.name === 'exit') {
      expect(last.data).toEqual({ id: p, code: 137, signal: null });
    } else {
      expect(last.data).toMatchObject({ id: p, code: 'engine-unreachable' });
      expect((last.data as { message: string }).message).toContain(host);
    }
    figure('engine stopped mid-spawn: spawn ended by', `an ${last.name} event after ${Date.now() - t} ms`);
    await down;
    // While it is down: a clear 503, and nothing hangs.
    expect((await exec(gateway.port, TEST_CONTAINER, ['true'])).status).toBe(503);
    figure('second private engine: restart', `${await engine('up')} ms`);
    // maxSpawns is 1: this is 201 only if the lost spawn gave its slot back.
    const again = id();
    expect((await s.spawn(again, { target: 'container', container: TEST_CONTAINER, argv: ['echo', 'back'] })).status).toBe(201);
    await s.until(() => s.exit(again) !== undefined);
    expect(s.output(again)).toBe('back\n');
    expect(await ps(m)).toEqual([]);
    // Never re-run: the lost spawn's output ends where the engine stopped.
    expect(s.events.filter((e) => e.name === 'error' || e.name === 'exit').map((e) => (e.data as { id: string }).id)).toEqual([p, again]);
    await s.drop();
  });
});

describeWithDocker('the connection to the engine lost while the engine runs on', () => {
  // A TCP proxy in front of the shared engine's socket: what a remote engine over a flaky link, or an ssh tunnel that dies, looks like.
  let proxy: Server;
  let port: number;
  const piped = new Set<Socket>();
  /** When set, a connection that sends anything more (a new request on a kept-alive one) is cut. */
  let blocked = false;
  const listen = async (at = 0) => {
    blocked = false;
    proxy = createServer((client) => {
      client.on('data', () => blocked && (client.destroy(), upstream.destroy()));
      const upstream = connect(new URL(dockerHost()).pathname);
      for (const s of [client, upstream]) {
        piped.add(s);
        s.on('error', () => undefined);
        s.on('close', () => (client.destroy(), upstream.destroy(), piped.delete(s)));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(at, '127.0.0.1', resolve));
    port = (proxy.address() as AddressInfo).port;
  };
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    await listen();
    gateway = await startTestGateway({ engine: { host: `tcp://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await gateway?.close();
    for (const s of piped) s.destroy();
    proxy?.close();
  });

  it('link cut mid-spawn: an error event; the process is ended inside its container once the engine answers again (regression: it ran on forever)', async () => {
    const s = await openSession(gateway.url);
    const p = id();
    const m = marker();
    expect((await s.spawn(p, { target: 'container', container: TEST_CONTAINER, argv: ticker(m) })).status).toBe(201);
    await s.until(() => s.output(p).includes('tick\n'));
    proxy.close();
    for (const sock of piped) sock.destroy();
    await s.until((events) => events.some((e) => e.name === 'error'), 10_000);
    expect(s.events.find((e) => e.name === 'error')?.data).toMatchObject({ id: p, code: 'engine-unreachable' });
    // The process runs on in the container: nobody could reach the engine to end it.
    expect((await psInContainer(TEST_CONTAINER)).filter((x) => x.args.includes(m)).length).toBeGreaterThanOrEqual(1);
    await listen(port);
    const ms = await waitFor(`the ticker ${m} ends`, async () => (await psInContainer(TEST_CONTAINER)).every((x) => !x.args.includes(m)), 8_000);
    figure('engine link cut mid-spawn, then back: process ended after the link returned within', `${ms} ms`);
    expect(gateway.logs.some((l) => l.includes(`spawn ${p}: could not end its process`))).toBe(true);
    expect(gateway.logs.some((l) => l.includes(`spawn ${p}: ended its process after all`))).toBe(true);
    await s.drop();
  });

  it('link refusing new connections when a page drops its stream: the gateway survives and ends the process later (regression: an unhandled rejection ended the gateway)', async () => {
    const s = await openSession(gateway.url);
    const p = id();
    const m = marker();
    expect((await s.spawn(p, { target: 'container', container: TEST_CONTAINER, argv: ticker(m) })).status).toBe(201);
    await s.until(() => s.output(p).includes('tick\n'));
    // New requests (the kill's exec) fail; the running stream's connection (engine → gateway only) stays up.
    blocked = true;
    proxy.close();
    await s.drop();
    await waitFor('the kill to fail', async () => gateway.logs.some((l) => l.includes(`spawn ${p}: could not end its process`)), 5_000);
    expect((await send(gateway.port, { path: '/_dd/info' })).status).toBe(200);
    await listen(port);
    await waitFor(`the ticker ${m} ends`, async () => (await psInContainer(TEST_CONTAINER)).every((x) => !x.args.includes(m)), 8_000);
  });
});

describeWithDocker('a container removed mid-exec', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const docker = (...args: string[]) => run('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost() } });
  const throwaway = async () => (await docker('run', '-d', '--network', 'none', 'ddshim-test', 'sleep', '1000')).stdout.trim();
  beforeAll(async () => {
    gateway = await startTestGateway({ engine: { host: dockerHost() } });
  });
  afterAll(() => gateway?.close());

  it('exec: answers no-such-container, saying the container went away while the command ran (regression: "refused inspecting exec …")', async () => {
    const c = await throwaway();
    const m = `30.${Date.now()}`;
    // sh stays the exec's process (sleep is not its last command), so the engine has no exit to record before the exec's record goes.
    const call = exec(gateway.port, c, ['sh', '-c', `echo started; sleep ${m}; echo done`]);
    call.catch(() => undefined);
    await waitFor('the exec to start', async () => (await docker('exec', c, 'ps', '-o', 'args')).stdout.includes(`sleep ${m}`), 10_000);
    await docker('rm', '-f', c);
    const res = await call;
    // Whichever the engine managed first: it recorded the SIGKILL of `rm -f` (a result, exit 137,
    // the output so far kept), or the exec's record went with the container (a clear 404).
    if (res.status === 200) expect(JSON.parse(res.body)).toMatchObject({ code: 137, stdout: 'started\n' });
    else expect(errorOf(res.body)).toMatchObject({ code: 'no-such-container', message: expect.stringContaining(`in container "${c}" ended with no exit status: the container was removed`) });
  });

  it('spawn: the stream gets the same error, and the spawn is over', async () => {
    const c = await throwaway();
    const s = await openSession(gateway.url);
    const p = id();
    expect((await s.spawn(p, { target: 'container', container: c, argv: ticker(marker()) })).status).toBe(201);
    await s.until(() => s.output(p).includes('tick\n'));
    await docker('rm', '-f', c);
    await s.until((events) => events.some((e) => e.name === 'error' || e.name === 'exit'), 10_000);
    // The engine may record the SIGKILL of `rm -f` before the exec's record goes with the container.
    const end = s.events.find((e) => e.name === 'error' || e.name === 'exit')!;
    if (end.name === 'exit') expect(end.data).toEqual({ id: p, code: 137, signal: null });
    else expect(end.data).toMatchObject({ id: p, code: 'no-such-container' });
    expect((await s.stop(p)).status).toBe(404);
    await s.drop();
  });
});

/**
 * An engine that forgets an exec while it runs, as `docker rm -f` of its
 * container or an engine restart does: exec inspect answers 404 once the
 * exec's stream has ended. Deterministic, where the real race is not.
 */
async function startForgetfulEngine(): Promise<{ host: string; close(): Promise<void> }> {
  const dir = mkdtempSync('/tmp/ddshim-fake-engine-');
  const path = join(dir, 'docker.sock');
  let ended = false;
  const frame = (text: string) => {
    const body = Buffer.from(text);
    const headBytes = Buffer.alloc(8);
    headBytes[0] = 1;
    headBytes.writeUInt32BE(body.length, 4);
    return Buffer.concat([headBytes, body]);
  };
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      const line = text.slice(0, text.indexOf('\r\n'));
      text = text.slice(end + 4 + length);
      const json = (status: string, body: unknown) => {
        const out = JSON.stringify(body);
        socket.write(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${out.length}\r\n\r\n${out}`);
      };
      if (/^POST \/containers\/[^/]+\/exec /.test(line)) json('201 Created', { Id: 'forgotten' });
      else if (line.startsWith('POST /exec/forgotten/start ')) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n');
        socket.write(frame('started\n'));
        setTimeout(() => {
          ended = true;
          socket.end();
        }, 300);
      } else if (line.startsWith('GET /exec/forgotten/json ')) {
        if (ended) json('404 Not Found', { message: 'No such exec instance: forgotten' });
        else json('200 OK', { Running: true, ExitCode: null, Pid: 4242 });
      } else json('404 Not Found', { message: `no route ${line}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    host: `unix://${path}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('an engine that forgets an exec while it runs (what rm -f or an engine restart does)', () => {
  it('exec answers 404 no-such-container saying so (regression: "Docker engine refused inspecting exec …: No such exec instance")', async () => {
    const engine = await startForgetfulEngine();
    const gateway = await startTestGateway({ engine: { host: engine.host } });
    try {
      const res = await exec(gateway.port, 'gone', ['sh', '-c', 'echo started; sleep 30']);
      expect(res.status).toBe(404);
      expect(errorOf(res.body)).toEqual({
        code: 'no-such-container',
        message: `"sh -c echo started; sleep 30" in container "gone" ended with no exit status: the container was removed, or the Docker engine at ${engine.host} restarted, while it ran`,
      });
    } finally {
      await gateway.close();
      await engine.close();
    }
  });
});

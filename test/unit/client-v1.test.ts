// @vitest-environment happy-dom
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { install } from '../../src/shim/index.js';
import type { DockerDesktopClient } from '../../src/shim/client.js';
import { startTestGateway } from '../helpers/gateway.js';

// V1 exec and the V0 host calls over a real gateway, with the extension's
// host folder (no Docker engine needed): DDCLIENT-SEMANTICS §2.2, §2.3, §3.
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let dd: DockerDesktopClient;

beforeAll(async () => {
  gateway = await startTestGateway({ hostDir: resolve('test/fixtures/host') });
});
afterAll(async () => {
  await gateway.close();
});
beforeEach(() => {
  delete window.ddClient;
  dd = install({ gateway: gateway.url });
});

type Events = Array<[string, unknown]>;

describe('extension.host.cli.exec', () => {
  it('without stream: joins and tokenises, resolves on 0', async () => {
    const r = await dd.extension.host.cli.exec('hello.sh', ['"two words"', 'x'], { cwd: '/tmp', env: { GREETING: 'hey' } });
    expect(r.stdout).toBe('hello two words x\ncwd=/tmp greeting=hey\n');
    expect(r.lines()).toEqual(['hello two words x', 'cwd=/tmp greeting=hey', '']);
  });

  it('without stream: rejects on a non-zero exit with the same shape', async () => {
    const err = await dd.extension.host.cli.exec('hello.sh', ['fail']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 4, stderr: 'failing\n', killed: false });
    expect(typeof (err as { lines: unknown }).lines).toBe('function');
  });

  it('with stream: argv verbatim, output, then onClose once', async () => {
    const events: Events = [];
    const done = new Promise<Events>((resolve) => {
      const handle = dd.extension.host.cli.exec('hello.sh', ['"quoted"'], {
        stream: {
          onOutput: (d) => events.push(d.stdout !== undefined ? ['stdout', d.stdout] : ['stderr', d.stderr]),
          onClose: (code) => {
            events.push(['close', code]);
            setTimeout(() => resolve(events), 100);
          },
        },
      });
      expect(typeof handle.close).toBe('function');
    });
    const out = await done;
    expect(out.filter(([k]) => k === 'stdout').map(([, v]) => v).join('')).toContain('hello "quoted"');
    expect(out.filter(([k]) => k === 'close')).toEqual([['close', 0]]);
  });

  it('splitOutputLines gives one call per line, \\r\\n and lines split across chunks included', async () => {
    const events: Events = [];
    await new Promise<void>((resolve) => {
      dd.extension.host.cli.exec('lines.sh', [], {
        stream: {
          splitOutputLines: true,
          onOutput: (d) => events.push(d.stdout !== undefined ? ['stdout', d.stdout] : ['stderr', d.stderr]),
          onClose: () => resolve(),
        },
      });
    });
    expect(events.filter(([k]) => k === 'stdout')).toEqual([['stdout', 'one'], ['stdout', 'two'], ['stdout', 'three']]);
    expect(events.filter(([k]) => k === 'stderr')).toEqual([['stderr', 'err line']]);
  });

  it('close() ends the process, and onClose fires once', async () => {
    const marker = String(100000 + Math.floor(Math.random() * 100000));
    const closes: unknown[] = [];
    await new Promise<void>((resolve) => {
      const handle = dd.extension.host.cli.exec('sleeper.sh', [marker], {
        stream: {
          onOutput: () => handle.close(),
          onClose: (code) => {
            closes.push(code);
            setTimeout(resolve, 200);
          },
        },
      });
    });
    expect(closes).toHaveLength(1);
    const { execSync } = await import('node:child_process');
    expect(execSync('ps -eo args').toString()).not.toContain(`sleep ${marker}`);
  });

  it('a missing binary streams as onError', async () => {
    const err = await new Promise((resolve) => {
      dd.extension.host.cli.exec('nope.sh', [], { stream: { onError: resolve, onClose: () => resolve('closed') } });
    });
    expect(err).toMatchObject({ name: 'GatewayError', code: 'command-not-found' });
  });

  it.each([
    ['a non-string cmd', () => dd.extension.host.cli.exec(1 as never, []), /"cmd" must be a string/],
    ['a non-array args', () => dd.extension.host.cli.exec('hello.sh', 'a' as never), /"args" must be an array of strings/],
    ['a non-object env', () => dd.extension.host.cli.exec('hello.sh', [], { env: 'A=1' as never }), /"options\.env" must be an object/],
    ['a non-string cwd', () => dd.extension.host.cli.exec('hello.sh', [], { cwd: 3 as never }), /"options\.cwd" must be a string/],
  ])('%s throws a TypeError', (_, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});

describe('V0 host calls', () => {
  it('execHostCmd tokenises one line', async () => {
    const r = await dd.execHostCmd('hello.sh "a b"');
    expect(r.stdout.split('\n')[0]).toBe('hello a b');
  });

  it('spawnHostCmd calls back with output, then {code, close: true}', async () => {
    const calls: unknown[] = [];
    await new Promise<void>((resolve) => {
      dd.spawnHostCmd('hello.sh', ['x'], (data, error) => {
        calls.push(error ?? data);
        if (data?.close) resolve();
      });
    });
    expect(calls.at(-1)).toEqual({ code: 0, close: true });
    expect(calls.some((c) => (c as { stdout?: string }).stdout?.includes('hello x'))).toBe(true);
  });

  it('spawnHostCmd gives a failure to start as the error argument', async () => {
    const [data, error] = await new Promise<[unknown, unknown]>((resolve) => dd.spawnHostCmd('nope.sh', [], (d, e) => resolve([d, e])));
    expect(data).toBeUndefined();
    expect((error as Error).message).toContain('nope.sh');
  });

  it('openExternal refuses schemes other than http(s)', async () => {
    await expect(dd.openExternal('javascript:alert(1)')).rejects.toThrow(TypeError);
    await expect(dd.host.openExternal('file:///etc/passwd')).rejects.toThrow(/only http and https/);
  });
});

// @vitest-environment happy-dom
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, reply, type DockerDesktopClient, type MockHandlers } from '../../src/shim/index.js';
import { startBackend, type TestBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

// One behaviour suite, two transports (issue 6): every case runs against a real
// gateway (test backend + the host fixtures) and against mock handlers that
// answer the same, so mock mode cannot drift from the real client.
const handlers: MockHandlers = {
  service: {
    'GET /items': [{ id: 1, name: 'one' }, { id: 2, name: 'two' }],
    'GET /text': 'hello, text',
    'GET /status/:code': ({ params }) => reply(Number(params.code), { message: `status ${params.code}` }),
    'POST /echo': (req) => ({ method: req.method, body: JSON.stringify(req.data) }),
  },
  exec: [
    { target: 'host', argv: ['hello.sh', 'fail'], result: { code: 4, stdout: 'hello fail\n', stderr: 'failing\n' } },
    { target: 'host', argv: ['hello.sh', 'two words'], result: { stdout: 'hello two words\ncwd=x greeting=none\n' } },
  ],
  spawn: [
    { target: 'host', argv: ['lines.sh'], script: [{ stdout: 'one\r' }, { after: 50, stdout: '\ntw' }, { after: 50, stdout: 'o\r\nthree' }, { after: 50, stdout: '\n' }, { stderr: 'err line\n' }] },
    { target: 'host', argv: ['sleeper.sh', '123456'], script: [{ stdout: 'started\n' }, { after: 60_000, stdout: 'never' }] },
    { target: 'host', argv: ['nope.sh'], script: [], error: 'no binary "nope.sh" in the host folder' },
  ],
};

let backend: TestBackend;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
beforeAll(async () => {
  backend = await startBackend();
  gateway = await startTestGateway({ backend: backend.target, hostDir: resolve('test/fixtures/host') });
});
afterAll(async () => {
  await gateway.close();
  await backend.close();
});

const modes: Array<[string, () => DockerDesktopClient]> = [
  ['gateway', () => install({ gateway: gateway.url, replace: true } as never)],
  ['mock', () => install({ mock: handlers, log: false, replace: true })],
];

describe.each(modes)('behaviour over the %s transport', (_, make) => {
  const dd = () => {
    delete window.ddClient;
    return make();
  };

  it('resolves JSON and text bodies', async () => {
    const c = dd();
    await expect(c.backend.get('/items')).resolves.toEqual([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
    await expect(c.extension.vm.service.get('/text')).resolves.toBe('hello, text');
  });

  it('rejects a non-2xx with the ServiceError shape', async () => {
    const err = await dd().backend.get('/status/404').catch((e: unknown) => e);
    expect(err).toEqual({ name: 'Not Found', message: '{"message":"status 404"}', statusCode: 404 });
  });

  it('sends an object body as JSON', async () => {
    const echo = (await dd().backend.post('/echo', { a: 1 })) as { method: string; body: string };
    expect(echo.method).toBe('POST');
    expect(JSON.parse(echo.body)).toEqual({ a: 1 });
  });

  it('resolves an exit 0 with the ExecResult helpers, tokenising the line', async () => {
    const r = await dd().execHostCmd('hello.sh "two words"');
    expect(r.lines()[0]).toBe('hello two words');
    expect(r.code).toBe(0);
  });

  it('rejects a non-zero exit with the same shape', async () => {
    const err = (await dd().extension.host.cli.exec('hello.sh', ['fail']).catch((e: unknown) => e)) as { code: number; stderr: string; lines(): string[] };
    expect(err).toMatchObject({ code: 4, stderr: 'failing\n', killed: false, signal: null });
    expect(err.lines()[0]).toBe('hello fail');
  });

  it('splits output lines across chunks and \\r\\n', async () => {
    const lines: string[] = [];
    await new Promise<void>((done) => {
      dd().extension.host.cli.exec('lines.sh', [], {
        stream: { splitOutputLines: true, onOutput: (d) => lines.push(d.stdout ?? `err:${d.stderr}`), onClose: () => done() },
      });
    });
    expect(lines.filter((l) => !l.startsWith('err:'))).toEqual(['one', 'two', 'three']);
    expect(lines.filter((l) => l.startsWith('err:'))).toEqual(['err:err line']);
  });

  it('close() ends the process; onClose fires once, with no exit code', async () => {
    const closes: unknown[] = [];
    await new Promise<void>((done) => {
      const p = dd().extension.host.cli.exec('sleeper.sh', ['123456'], {
        stream: {
          onOutput: () => p.close(),
          onClose: (code) => {
            closes.push(code);
            setTimeout(done, 300);
          },
        },
      });
    });
    expect(closes).toEqual([null]);
  });

  it('gives a failure to start to onError', async () => {
    const err = await new Promise((done) => dd().extension.host.cli.exec('nope.sh', [], { stream: { onError: done, onClose: () => done('closed') } }));
    expect(err).toMatchObject({ name: 'GatewayError', code: 'command-not-found' });
    expect((err as Error).message).toContain('nope.sh');
  });
});

describe('mock mode only', () => {
  it('an unhandled call names the call and shows the handler to add', async () => {
    delete window.ddClient;
    const c = install({ mock: {}, log: false });
    await expect(c.backend.get('/nothing?x=1')).rejects.toThrow(/no handler for GET \/nothing\?x=1.*service: \{ 'GET \/nothing': <response> \}/);
    await expect(c.backend.execInContainer('db', 'psql -c "select 1"')).rejects.toThrow(/argv: \["psql","-c","select 1"\]/);
  });

  it('delays a reply when asked', async () => {
    delete window.ddClient;
    const c = install({ mock: { service: { 'GET /slow': reply(200, 'late', { delay: 150 }) } }, log: false });
    const start = Date.now();
    await expect(c.backend.get('/slow')).resolves.toBe('late');
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('logs each call as one collapsed console group by default', async () => {
    delete window.ddClient;
    const groups: string[] = [];
    const orig = console.groupCollapsed;
    console.groupCollapsed = (...args: unknown[]) => void groups.push(String(args[0]));
    try {
      const c = install({ mock: { service: { 'GET /items': [] } } });
      await c.backend.get('/items');
      await c.backend.get('/missing').catch(() => undefined);
    } finally {
      console.groupCollapsed = orig;
    }
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatch(/GET \/items.*ok/);
    expect(groups[1]).toMatch(/GET \/missing.*failed/);
  });
});

import { mkdtempSync, symlinkSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startTestGateway } from '../helpers/gateway.js';

// `--host-dir`: binaries of the extension's host folder, and nothing outside it (issue 5; issue 7 item 9).
describe('exec of host binaries', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ddshim-host-'));
    const outside = join(dir, 'outside.sh');
    writeFileSync(outside, '#!/bin/sh\necho escaped\n');
    chmodSync(outside, 0o755);
    const hostDir = join(dir, 'host');
    await import('node:fs/promises').then((fs) => fs.cp(resolve('test/fixtures/host'), hostDir, { recursive: true }));
    symlinkSync(outside, join(hostDir, 'escape.sh'));
    gateway = await startTestGateway({ hostDir });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const exec = (body: object) =>
    send(gateway.port, { method: 'POST', path: '/_dd/exec', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'host', ...body }) });

  it('runs a binary of the folder with its argv, cwd and env', async () => {
    const res = await exec({ argv: ['hello.sh', 'a b', 'c'], cwd: '/tmp', env: { GREETING: 'hi' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ cmd: 'hello.sh a b c', code: 0, signal: null, killed: false, stdout: 'hello a b c\ncwd=/tmp greeting=hi\n', stderr: '' });
  });

  it('answers a non-zero exit as a result', async () => {
    const res = JSON.parse((await exec({ argv: ['hello.sh', 'fail'] })).body);
    expect(res).toMatchObject({ code: 4, stderr: 'failing\n' });
  });

  it('answers a missing binary as exit code 127, like a shell', async () => {
    const res = JSON.parse((await exec({ argv: ['nope.sh'] })).body);
    expect(res.code).toBe(127);
    expect(res.stderr).toContain('no binary "nope.sh"');
  });

  it.each([['../outside.sh'], ['/bin/sh'], ['sub/../../outside.sh'], ['..'], ['a\\b']])('refuses %s (a path, not a bare name)', async (name) => {
    const res = await exec({ argv: [name] });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('escaped');
  });

  it('refuses a symlink that leads out of the folder', async () => {
    const res = await exec({ argv: ['escape.sh'] });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.message).toContain('outside');
  });

  it('says what to do when no --host-dir was given', async () => {
    const bare = await startTestGateway();
    try {
      const res = await send(bare.port, { method: 'POST', path: '/_dd/exec', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: 'host', argv: ['hello.sh'] }) });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.message).toContain('--host-dir');
    } finally {
      await bare.close();
    }
  });
});

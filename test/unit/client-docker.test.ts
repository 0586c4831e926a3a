// @vitest-environment happy-dom
import { afterAll, beforeAll, expect, it } from 'vitest';
import { install, type DockerDesktopClient } from '../../src/shim/index.js';
import { describeWithDocker, dockerHost, psInContainer, TEST_CONTAINER, VM_CONTAINER } from '../helpers/docker.js';
import { startTestGateway } from '../helpers/gateway.js';

// The V1 and V0 members that reach the Docker engine (issue 5), against a real
// gateway and a real engine: DDCLIENT-SEMANTICS §2.2, §2.3, §3.
describeWithDocker('client members on the Docker engine', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let dd: DockerDesktopClient;
  beforeAll(async () => {
    gateway = await startTestGateway({ engine: { host: dockerHost() }, vmContainer: VM_CONTAINER });
    delete window.ddClient;
    dd = install({ gateway: gateway.url });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it("docker.cli.exec: the ps --format '\"{{json .}}\"' idiom with parseJsonLines()", async () => {
    const rows = (await dd.docker.cli.exec('ps', ['--all', '--format', '"{{json .}}"'])).parseJsonLines() as Array<{ Names: string }>;
    expect(rows.map((r) => r.Names)).toContain(TEST_CONTAINER);
  });

  it('execDockerCmd(cmd, ...args) with parseJsonObject()', async () => {
    const info = (await dd.execDockerCmd('info', '--format', '"{{json .}}"')).parseJsonObject() as { ServerVersion: string };
    expect(typeof info.ServerVersion).toBe('string');
  });

  it('docker.cli.exec rejects a failing docker command with the exec shape', async () => {
    await expect(dd.docker.cli.exec('inspect', ['no-such-thing-here'])).rejects.toMatchObject({ code: 1, killed: false });
  });

  it('spawnDockerCmd streams, then {code, close: true}', async () => {
    let out = '';
    const end = await new Promise((done) => dd.spawnDockerCmd('ps', ['--format', '{{.Names}}'], (data, error) => (error ? done(error) : data.close ? done(data) : (out += data.stdout ?? ''))));
    expect(end).toEqual({ code: 0, close: true });
    expect(out).toContain(TEST_CONTAINER);
  });

  it('docker.listContainers / listContainers: the engine JSON, options passed through', async () => {
    const all = (await dd.docker.listContainers({ all: true })) as Array<{ Names: string[]; State: string }>;
    expect(all.some((c) => c.Names.includes(`/${TEST_CONTAINER}`))).toBe(true);
    expect(all.some((c) => c.State !== 'running')).toBe(true);
    const running = (await dd.listContainers({ filters: JSON.stringify({ name: [TEST_CONTAINER] }) } as never)) as Array<{ Names: string[] }>;
    expect(running.map((c) => c.Names[0])).toEqual([`/${TEST_CONTAINER}`]);
  });

  it('docker.listImages / listImages', async () => {
    const images = (await dd.docker.listImages()) as Array<{ RepoTags: string[] | null }>;
    expect(images.flatMap((i) => i.RepoTags ?? [])).toContain('ddshim-test:latest');
    expect((await dd.listImages({ digests: true } as never)) as unknown[]).toHaveLength(images.length);
  });

  it('extension.vm.cli.exec runs in the backend container with cwd and env', async () => {
    const r = await dd.extension.vm.cli.exec('sh', ['-c', '"echo $GREETING; pwd"'], { cwd: '/tmp', env: { GREETING: 'hi' } });
    expect(r.stdout).toBe('hi\n/tmp\n');
  });

  it('extension.vm.cli.exec with stream: close() ends the process inside the container', async () => {
    const marker = String(300000 + Math.floor(Math.random() * 600000));
    const codes: unknown[] = [];
    await new Promise<void>((done) => {
      const p = dd.extension.vm.cli.exec('sh', ['-c', `echo up; exec sleep ${marker}`], {
        stream: {
          onOutput: () => setTimeout(() => p.close(), 100),
          onClose: (code) => {
            codes.push(code);
            done();
          },
        },
      });
    });
    expect(codes).toEqual([null]);
    expect((await psInContainer(VM_CONTAINER)).filter((p) => p.args.includes(`sleep ${marker}`))).toEqual([]);
  });

  it('navigate.* resolve with a visible notice, and reject for what does not exist', async () => {
    await expect(dd.desktopUI.navigate.viewContainerLogs(TEST_CONTAINER)).resolves.toBeUndefined();
    expect(document.querySelector('[data-ddshim-toast="info"]')?.textContent).toContain(`Containers › ${TEST_CONTAINER} › Logs`);
    await expect(dd.navigateToContainer('no-such-container')).rejects.toThrow(/no container "no-such-container"/);
    await expect(dd.desktopUI.navigate.viewImage('ddshim-test', 'latest')).resolves.toBeUndefined();
    await expect(dd.navigateToImage('no-such-image', 'latest')).rejects.toThrow(/no image/);
    await expect(dd.desktopUI.navigate.viewVolume('no-such-volume')).rejects.toThrow(/no volume/);
    await expect(dd.navigateToContainers()).resolves.toBeUndefined();
  });
});

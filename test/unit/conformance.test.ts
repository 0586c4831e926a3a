// @vitest-environment happy-dom
import type { v1Hybrid, v0, v1 } from '@docker/extension-api-client-types';
import { describe, expect, it } from 'vitest';
import { install, type DockerDesktopClient } from '../../src/shim/index.js';

// Type conformance (issue 5): this file does not compile — and `npm test`
// runs tsc over it first — if the client stops satisfying Docker's published
// typings (@docker/extension-api-client-types 0.4.2).
type Assignable<T> = (value: T) => void;
const hybrid: Assignable<v1Hybrid.DockerDesktopClient> = () => undefined;
const asV0: Assignable<v0.DockerDesktopClient> = () => undefined;
const asV1: Assignable<v1.DockerDesktopClient> = () => undefined;
const check = (client: DockerDesktopClient) => {
  hybrid(client);
  asV0(client);
  asV1(client);
};

describe('type conformance', () => {
  it('installs a client that is every member of v1Hybrid.DockerDesktopClient at run time too', () => {
    delete window.ddClient;
    const client = install({ mock: {}, log: false });
    check(client);
    const members = [
      'backend', 'toastSuccess', 'toastWarning', 'toastError', 'listContainers', 'listImages', 'execHostCmd', 'spawnHostCmd', 'execDockerCmd',
      'spawnDockerCmd', 'navigateToContainers', 'navigateToContainer', 'navigateToContainerLogs', 'navigateToContainerInspect',
      'navigateToContainerStats', 'navigateToImages', 'navigateToImage', 'navigateToVolumes', 'navigateToVolume', 'openExternal',
      'extension', 'desktopUI', 'host', 'docker',
    ];
    for (const m of members) expect(client, m).toHaveProperty(m);
    for (const fn of ['viewContainers', 'viewContainer', 'viewContainerLogs', 'viewContainerInspect', 'viewContainerTerminal', 'viewContainerStats', 'viewImages', 'viewImage', 'viewVolumes', 'viewVolume']) {
      expect(typeof client.desktopUI.navigate[fn as keyof typeof client.desktopUI.navigate], fn).toBe('function');
    }
    expect(typeof client.extension.vm.cli.exec).toBe('function');
    expect(typeof client.extension.host.cli.exec).toBe('function');
    expect(typeof client.docker.cli.exec).toBe('function');
  });
});

import type { ExecTarget, HostInfo } from '../protocol.js';
import { checkFunction, checkString, checkStringArray } from './args.js';
import { argvOf, createBackend, createHttpService, execToResult, spawnWithCallback } from './backend.js';
import { listContainers, listImages, navigate, openExternal } from './docker-api.js';
import { createExec } from './exec-api.js';
import type { Transport } from './transport.js';
import { showOpenDialog } from './ui/dialog.js';
import { showToast } from './ui/toast.js';

/** What the client reports before (or without) a gateway that says otherwise. */
export const PLACEHOLDER_INFO = {
  host: { platform: 'unknown', arch: 'unknown', hostname: 'unknown' } as HostInfo,
  extension: { image: 'unknown' },
};

type Info = { host: HostInfo; extension: { image: string } };

/**
 * Builds `window.ddClient`: one object that is both the V0 and the V1 client
 * (DDCLIENT-SEMANTICS §1, §3). Every member is a thin view over the one
 * transport, never a second copy of its logic (DESIGN.md). `host` and
 * `extension.image` are plain values, there synchronously (§1).
 */
export function createClient(transport: Transport, info: Info = PLACEHOLDER_INFO) {
  const service = createHttpService(transport, 'extension.vm.service');
  const toast = (kind: 'success' | 'warning' | 'error') => (msg: string) => showToast(kind, msg);
  const execV0 = (target: ExecTarget, at: string) => (cmd: string, ...args: string[]) => execToResult(transport, { target, argv: argvOf(at, [cmd, ...args].join(' ')) });
  const spawnV0 = (target: ExecTarget, at: string) => (cmd: string, args: string[], callback: (data: any, error: any) => void): void =>
    void spawnWithCallback(transport, { target, argv: [checkString(at, 'cmd', cmd), ...checkStringArray(at, 'args', args)] }, checkFunction(at, 'callback', callback));
  const go = (at: string, where: string[], check?: Parameters<typeof navigate>[3]) => navigate(transport, at, where, check);

  const nav = {
    viewContainers: () => go('viewContainers', ['Containers']),
    viewContainer: (id: string) => go('viewContainer', ['Containers', id], { kind: 'containers', id }),
    viewContainerLogs: (id: string) => go('viewContainerLogs', ['Containers', id, 'Logs'], { kind: 'containers', id }),
    viewContainerInspect: (id: string) => go('viewContainerInspect', ['Containers', id, 'Inspect'], { kind: 'containers', id }),
    viewContainerTerminal: (id: string) => go('viewContainerTerminal', ['Containers', id, 'Terminal'], { kind: 'containers', id }),
    viewContainerStats: (id: string) => go('viewContainerStats', ['Containers', id, 'Stats'], { kind: 'containers', id }),
    viewImages: () => go('viewImages', ['Images']),
    viewImage: (id: string, tag: string) => go('viewImage', ['Images', tag ? `${id}:${tag}` : id], { kind: 'images', id }),
    viewVolumes: () => go('viewVolumes', ['Volumes']),
    viewVolume: (volume: string) => go('viewVolume', ['Volumes', volume], { kind: 'volumes', id: volume }),
  };

  return {
    // ---- V1 ----
    extension: {
      image: info.extension.image,
      vm: { service, cli: { exec: createExec(transport, 'vm', 'extension.vm.cli') } },
      host: { cli: { exec: createExec(transport, 'host', 'extension.host.cli') } },
    },
    desktopUI: {
      toast: { success: toast('success'), warning: toast('warning'), error: toast('error') },
      dialog: { showOpenDialog },
      navigate: nav,
    },
    host: { ...info.host, openExternal },
    docker: {
      cli: { exec: createExec(transport, 'docker', 'docker.cli') },
      listContainers: (options?: any) => listContainers(transport, 'docker.listContainers', options),
      listImages: (options?: any) => listImages(transport, 'docker.listImages', options),
    },
    // ---- V0 ----
    backend: createBackend(transport),
    toastSuccess: toast('success'),
    toastWarning: toast('warning'),
    toastError: toast('error'),
    listContainers: (options?: any) => listContainers(transport, 'listContainers', options),
    listImages: (options?: any) => listImages(transport, 'listImages', options),
    execHostCmd: (cmd: string) => execV0('host', 'execHostCmd')(cmd),
    spawnHostCmd: spawnV0('host', 'spawnHostCmd'),
    execDockerCmd: execV0('docker', 'execDockerCmd'),
    spawnDockerCmd: spawnV0('docker', 'spawnDockerCmd'),
    navigateToContainers: nav.viewContainers,
    navigateToContainer: nav.viewContainer,
    navigateToContainerLogs: nav.viewContainerLogs,
    navigateToContainerInspect: nav.viewContainerInspect,
    navigateToContainerStats: nav.viewContainerStats,
    navigateToImages: nav.viewImages,
    navigateToImage: nav.viewImage,
    navigateToVolumes: nav.viewVolumes,
    navigateToVolume: nav.viewVolume,
    openExternal,
  };
}

/** The `window.ddClient` object. */
export type DockerDesktopClient = ReturnType<typeof createClient>;

/** Fills in host info that arrived after the client was handed out (ESM installs, scripts served without it). */
export function updateInfo(client: DockerDesktopClient, info: Info): void {
  Object.assign(client.host, info.host);
  client.extension.image = info.extension.image;
}

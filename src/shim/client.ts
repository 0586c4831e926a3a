import type { HostInfo } from '../protocol.js';
import { createBackend, createHttpService, execV0, spawnV0 } from './backend.js';
import { lister, openExternal } from './docker-api.js';
import { createExec } from './exec-api.js';
import { createNavigate } from './navigate.js';
import type { Transport } from './transport.js';
import type { Ui } from './ui/index.js';

/** What the client reports before (or without) a gateway that says otherwise. */
export const PLACEHOLDER_INFO = {
  host: { platform: 'unknown', arch: 'unknown', hostname: 'unknown' } as HostInfo,
  extension: { image: 'unknown' },
};

type Info = { host: HostInfo; extension: { image: string } };

/**
 * Builds `window.ddClient`: one object that is both the V0 and the V1 client
 * (DDCLIENT-SEMANTICS §1, §3). Every member is a thin view over the one
 * transport, never a second copy of its logic (DESIGN.md); a V0 member is the
 * same function as its V1 twin wherever the two behave alike. `host` and
 * `extension.image` are plain values, there synchronously (§1).
 */
export function createClient(transport: Transport, ui: Ui, info: Info = PLACEHOLDER_INFO) {
  const toast = (kind: 'success' | 'warning' | 'error') => (msg: string) => ui.toast(kind, msg);
  const toasts = { success: toast('success'), warning: toast('warning'), error: toast('error') };
  const navigate = createNavigate(transport, ui);
  const execHost = execV0(transport, 'host', 'execHostCmd');

  return {
    // ---- V1 ----
    extension: {
      image: info.extension.image,
      vm: { service: createHttpService(transport, 'extension.vm.service'), cli: { exec: createExec(transport, 'vm', 'extension.vm.cli') } },
      host: { cli: { exec: createExec(transport, 'host', 'extension.host.cli') } },
    },
    desktopUI: { toast: toasts, dialog: { showOpenDialog: ui.openDialog }, navigate: navigate.v1 },
    host: { ...info.host, openExternal },
    docker: {
      cli: { exec: createExec(transport, 'docker', 'docker.cli') },
      listContainers: lister(transport, 'containers', 'docker.listContainers'),
      listImages: lister(transport, 'images', 'docker.listImages'),
    },
    // ---- V0 ----
    backend: createBackend(transport),
    toastSuccess: toasts.success,
    toastWarning: toasts.warning,
    toastError: toasts.error,
    listContainers: lister(transport, 'containers', 'listContainers'),
    listImages: lister(transport, 'images', 'listImages'),
    // One command line: V0's execHostCmd takes no further arguments.
    execHostCmd: (cmd: string) => execHost(cmd),
    spawnHostCmd: spawnV0(transport, 'host', 'spawnHostCmd'),
    execDockerCmd: execV0(transport, 'docker', 'execDockerCmd'),
    spawnDockerCmd: spawnV0(transport, 'docker', 'spawnDockerCmd'),
    ...navigate.v0,
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

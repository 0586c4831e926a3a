import type { HostInfo } from '../protocol.js';
import { createBackend, createHttpService, type BackendV0, type HttpService } from './backend.js';
import type { Transport } from './transport.js';

/** What the client reports before (or without) a gateway that says otherwise. */
export const PLACEHOLDER_INFO = {
  host: { platform: 'unknown', arch: 'unknown', hostname: 'unknown' } as HostInfo,
  extension: { image: 'unknown' },
};

/** The `window.ddClient` object: one object for V0 and V1 (DDCLIENT-SEMANTICS §1). */
export interface DockerDesktopClient {
  backend: BackendV0;
  extension: { image: string; vm: { service: HttpService } };
  host: HostInfo;
}

/**
 * Builds the hybrid client over one transport. Every member is a view over the
 * transport's three calls, never a second copy of their logic (DESIGN.md).
 * `host` and `extension.image` are plain values, there synchronously (§1).
 */
export function createClient(transport: Transport, info: { host: HostInfo; extension: { image: string } } = PLACEHOLDER_INFO): DockerDesktopClient {
  return {
    backend: createBackend(transport),
    extension: { image: info.extension.image, vm: { service: createHttpService(transport, 'extension.vm.service') } },
    host: { ...info.host },
  };
}

/** Fills in host info that arrived after the client was handed out (ESM installs, scripts served without it). */
export function updateInfo(client: DockerDesktopClient, info: { host: HostInfo; extension: { image: string } }): void {
  Object.assign(client.host, info.host);
  client.extension.image = info.extension.image;
}

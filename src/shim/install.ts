import { resolveConfig, type ConfigSources } from './config.js';
import { createClient, updateInfo, type DockerDesktopClient } from './client.js';
import { createGatewayTransport } from './gateway-transport.js';

export interface InstallOptions {
  /** The gateway's URL. @defaultValue see the README's configuration order */
  gateway?: string;
  /** The gateway's `--token`. */
  token?: string;
  /** Service call and exec timeout in ms; 0 for none. @defaultValue 0 */
  timeout?: number;
}

declare global {
  interface Window {
    ddClient?: unknown;
  }
}

/**
 * Installs `window.ddClient` and returns it. A client that is already there —
 * the page runs inside Docker Desktop — is left alone and returned
 * (DDCLIENT-SEMANTICS §1), with one console line saying so.
 */
export function install(options: InstallOptions = {}, sources: Omit<ConfigSources, 'options'> = {}): DockerDesktopClient {
  if (window.ddClient !== undefined) {
    console.info('ddclient-shim: window.ddClient is already there (Docker Desktop?): leaving it as it is.');
    return window.ddClient as DockerDesktopClient;
  }
  const config = resolveConfig({ ...sources, options });
  const transport = createGatewayTransport({ gateway: config.gateway, token: config.token, timeout: options.timeout });
  const client = createClient(transport, config.info);
  if (config.info === undefined) {
    // No host info came with the script: ask for it, and fill it in when it comes.
    transport.info().then(
      (info) => updateInfo(client, info),
      (err: Error) => console.warn(err.message),
    );
  }
  window.ddClient = client;
  return client;
}

import { resolveConfig, type ConfigSources } from './config.js';
import type { DockerDesktopClient } from './client.js';
import { createGatewayTransport } from './gateway-transport.js';
import { mount } from './mount.js';
import type { SpawnChannelFactory } from './spawn-channel.js';
import type { Transport } from './transport.js';
import type { Ui } from './ui/index.js';

export interface GatewayInstallOptions {
  /** The gateway's URL. @defaultValue see the README's configuration order */
  gateway?: string;
  /** The gateway's `--token`. */
  token?: string;
  /** Service call and exec timeout in ms; 0 for none. @defaultValue 0 */
  timeout?: number;
  /** Log each call as a collapsed console group (ESM entry only). @defaultValue false */
  log?: boolean;
}

/**
 * Installs `window.ddClient` over a gateway (DDCLIENT-SEMANTICS §1: never over one that is there).
 * Logging, the UI and the spawn channel are passed in, not imported, for the script-tag bundle's size
 * budget (issue 8): it has no logging, and loads the other two on first use. `parts` gets the gateway's
 * URL, one place to load them from.
 */
export function installGateway(
  options: GatewayInstallOptions,
  sources: Omit<ConfigSources, 'options'>,
  parts: (gateway: string) => { ui: Ui; spawnChannel: SpawnChannelFactory },
  wrap: (t: Transport) => Transport = (t) => t,
): DockerDesktopClient {
  const config = resolveConfig({ ...sources, options });
  const { ui, spawnChannel } = parts(config.gateway);
  const transport = createGatewayTransport({ gateway: config.gateway, token: config.token, timeout: options.timeout, spawnChannel });
  return mount(wrap(transport), {
    ui,
    info: config.info,
    // No host info came with the script: ask for it, and fill it in when it comes.
    later: config.info === undefined ? transport.info() : undefined,
  });
}

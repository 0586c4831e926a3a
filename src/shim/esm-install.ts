import type { Fixture } from '../protocol.js';
import type { DockerDesktopClient } from './client.js';
import { installGateway, type GatewayInstallOptions } from './install.js';
import { logged } from './log-transport.js';
import { mount } from './mount.js';
import { createMockTransport, type MockHandlers } from './offline/mock.js';
import { createReplayTransport } from './offline/replay.js';
import { createSpawnChannel } from './spawn-channel.js';
import { inPageUi } from './ui/index.js';

/** `install()` of the ESM entry: a gateway, mock handlers, or a recorded fixture. */
export type InstallOptions =
  | GatewayInstallOptions
  | { mock: MockHandlers; log?: boolean; replace?: boolean }
  | { replay: Fixture | string; log?: boolean; replace?: boolean };

/**
 * Installs `window.ddClient` and returns it (issue 2, issue 6). With `mock` or
 * `replay` no gateway is needed, calls are logged to the console unless
 * `log: false`, and `replace: true` swaps out a client installed before (as
 * Storybook does between stories). A client Docker Desktop put there is never
 * replaced unless asked.
 */
export function install(options: InstallOptions = {}): DockerDesktopClient {
  if ('mock' in options) return mount(logged(createMockTransport(options.mock), options.log ?? true), { ui: inPageUi, replace: options.replace });
  if ('replay' in options) return mount(logged(createReplayTransport(options.replay), options.log ?? true), { ui: inPageUi, replace: options.replace });
  return installGateway(options, {}, () => ({ ui: inPageUi, spawnChannel: createSpawnChannel }), (t) => logged(t, options.log ?? false));
}

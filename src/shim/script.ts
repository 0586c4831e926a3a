/**
 * The script-tag entry (dist/ddclient-shim.js): installs `window.ddClient`
 * synchronously, before any `defer` or `type="module"` app script runs
 * (DDCLIENT-SEMANTICS §1).
 */
import { SERVED_CONFIG_GLOBAL, type ServedConfig } from '../protocol.js';
import { installGateway } from './install.js';
import { lazySpawnChannel } from './lazy-spawn.js';
import { lazyUi } from './ui/lazy.js';

const scope = globalThis as Record<string, unknown>;
const served = scope[SERVED_CONFIG_GLOBAL] as ServedConfig | undefined;
delete scope[SERVED_CONFIG_GLOBAL];
// Only there while this script first runs: read it now.
const script = document.currentScript as HTMLScriptElement | null;

// The UI and the spawn code are loaded from next to this script, so all are of one version; for an inline copy, from the gateway (issue 8).
installGateway({}, { script, search: location.search, served }, (gateway) => {
  const base = script?.src || gateway.replace(/\/*$/, '/');
  return { ui: lazyUi(base), spawnChannel: lazySpawnChannel(base) };
});

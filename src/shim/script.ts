/**
 * The script-tag entry (dist/ddclient-shim.js): installs `window.ddClient`
 * synchronously, before any `defer` or `type="module"` app script runs
 * (DDCLIENT-SEMANTICS §1).
 */
import { SERVED_CONFIG_GLOBAL, type ServedConfig } from '../protocol.js';
import { installGateway } from './install.js';

const scope = globalThis as Record<string, unknown>;
const served = scope[SERVED_CONFIG_GLOBAL] as ServedConfig | undefined;
delete scope[SERVED_CONFIG_GLOBAL];
const script = document.currentScript as HTMLScriptElement | null;

installGateway({}, { script, search: location.search, served });

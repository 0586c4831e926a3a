import type { Engine, EngineOptions } from './engine/index.js';

/** Everything the gateway can be told. The CLI maps its flags onto this one-to-one. */
export interface GatewayOptions {
  /**
   * Interface to listen on. Loopback unless you know why not (docs/security.md).
   * @defaultValue `'127.0.0.1'`
   */
  host?: string;
  /** @defaultValue `7777`; `0` picks a free port. */
  port?: number;
  /** The extension's backend: `http://host:port` or `unix:/path/to.sock`. Without it, service calls answer 502 `no-backend`. */
  backend?: string;
  /** Exact origins allowed besides loopback ones (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`). */
  allowOrigins?: string[];
  /** Shared secret every API call must carry in the `x-ddshim-token` header. */
  token?: string;
  /** Request body limit in bytes, answered with 413. @defaultValue 10 MiB */
  maxBody?: number;
  /** How long the backend may take to answer, and to go quiet mid-body, in ms; then 504. @defaultValue 60 000 */
  backendTimeout?: number;
  /** How long a client may take to send its request headers, in ms. @defaultValue 10 000 */
  headersTimeout?: number;
  /** The extension's backend container, for `execInVMExtension` and `extension.vm.cli`. */
  vmContainer?: string;
  /** The extension's `host` folder, for `execHostCmd` and `extension.host.cli`. */
  hostDir?: string;
  /** What `ddClient.extension.image` reports. @defaultValue `'unknown'` */
  extensionImage?: string;
  /** A folder served at `/` (the extension's UI), so the page and the gateway share one origin. */
  uiDir?: string;
  /** The built script-tag shim. @defaultValue `dist/ddclient-shim.js` of this package */
  scriptFile?: string;
  /** The Docker engine: an Engine, or options to create one. @defaultValue resolved like the docker CLI (DOCKER_HOST, context) */
  engine?: Engine | EngineOptions;
  /** Processes running through `spawn` at once; more answer 429. @defaultValue 64 */
  maxSpawns?: number;
  /** How long a spawn stream may be gone before its processes are ended, in ms. @defaultValue 1 000 */
  dropGrace?: number;
  /** Record every call to this fixture file, for `install({replay})` (issue 6; docs/protocol.md, Fixtures). */
  record?: string;
  /** Where the gateway writes its log lines (refusals, errors). @defaultValue stderr */
  log?: (line: string) => void;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 7777,
  maxBody: 10 * 1024 * 1024,
  backendTimeout: 60_000,
  headersTimeout: 10_000,
  extensionImage: 'unknown',
  maxSpawns: 64,
  dropGrace: 1_000,
  /** Heartbeat on idle spawn streams, so proxies and browsers keep them open. */
  heartbeat: 15_000,
} as const;

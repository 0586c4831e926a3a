/**
 * The wire protocol between the shim (browser) and the gateway (Node).
 *
 * Types and constants only: both halves import this file, so it must not pull
 * in any runtime dependency, Node module or DOM API. docs/protocol.md is the
 * prose version of this file; keep the two in step.
 */

/** Every gateway route lives under this prefix, so it cannot collide with an app's paths. */
export const PREFIX = '/_dd/';

/** Route names, relative to {@link PREFIX}. */
export const ROUTES = {
  /** `GET` → {@link GatewayInfo}. */
  info: 'info',
  /** `ANY service/<path>?<query>` → the backend's `<path>?<query>`. */
  service: 'service',
  /** `POST` {@link ExecRequest} → {@link ExecResult}. */
  exec: 'exec',
  /** `POST` {@link SpawnRequest} → {@link SpawnCreated}; `DELETE spawn/<id>` stops one. */
  spawn: 'spawn',
  /** `GET spawn/events?session=<id>`: the page's SSE stream of {@link SpawnEvents}. */
  spawnEvents: 'spawn/events',
  /** `GET docker/<Engine API path>`: the read-only Engine API calls of {@link DOCKER_READS}, answered with the engine's JSON. */
  docker: 'docker',
} as const;

/**
 * The Engine API paths a page may read through `GET docker/…`, and nothing
 * else: the lists of `docker.listContainers/listImages` (query passed through)
 * and the inspections `navigate*` checks existence with.
 */
export const DOCKER_READS: readonly RegExp[] = [
  /^containers\/json$/,
  /^images\/json$/,
  /^containers\/[^/]+\/json$/,
  /^images\/[^/]+\/json$/,
  /^volumes\/[^/]+$/,
];

/** The path the gateway serves the script-tag shim at. */
export const SCRIPT_PATH = '/ddclient-shim.js';
/**
 * The shim's in-page UI (toasts, the open dialog, navigation notices), an ES
 * module the script-tag shim imports on first use from next to its own URL;
 * the gateway serves it too.
 */
export const UI_SCRIPT_PATH = '/ddclient-shim-ui.js';
/**
 * The shim's spawn code (the spawn session's SSE stream), an ES module the
 * script-tag shim imports on a page's first streamed exec or spawn, from where
 * it looks for the UI (issue 8); the gateway serves it too.
 */
export const SPAWN_SCRIPT_PATH = '/ddclient-shim-spawn.js';
/** The files the script-tag shim loads on first use (issue 8): the gateway serves them next to SCRIPT_PATH. */
export const CHUNK_PATHS: readonly string[] = [UI_SCRIPT_PATH, SPAWN_SCRIPT_PATH];

/**
 * Every API call carries this header. A custom header forces a CORS preflight,
 * so a cross-site `<form>` or `text/plain` POST can never reach a route that
 * acts (DESIGN.md, Security model).
 */
export const CLIENT_HEADER = 'x-ddshim-client';
/** The shared secret of `--token`: only ever in this header, never in a URL. */
export const TOKEN_HEADER = 'x-ddshim-token';
/**
 * Set by the gateway on a response it made itself (backend down, timeout,
 * refusal), so a backend's own 502 stays distinguishable from ours.
 */
export const GATEWAY_ERROR_HEADER = 'x-ddshim-error';

/** Where no option, attribute or page parameter says otherwise. */
export const DEFAULT_GATEWAY_PORT = 7777;
export const DEFAULT_GATEWAY_URL = `http://127.0.0.1:${DEFAULT_GATEWAY_PORT}`;
/** What the shim tells a user to run when the gateway cannot be reached. */
export const GATEWAY_START_COMMAND = 'npx ddclient-shim gateway --backend <http://host:port | unix:/path.sock>';

export interface HostInfo {
  platform: string;
  arch: string;
  hostname: string;
}

/** `GET info`. */
export interface GatewayInfo {
  version: string;
  host: HostInfo;
  extension: { image: string };
  /** What this gateway can do: `service` (a backend is configured), `exec`, `spawn` (a Docker engine or host dir is configured). */
  capabilities: string[];
}

/** Configuration the gateway bakes into the script it serves. Never a secret. */
export interface ServedConfig {
  gateway: string;
  /** Left out when the gateway cannot tell the page is allowed; the shim then asks `info` itself. */
  info?: GatewayInfo;
}

/** The global a served script sets before the bundle runs; the bundle reads and deletes it. */
export const SERVED_CONFIG_GLOBAL = '__ddShimServed';

/**
 * Where a command runs.
 * - `container`: a named container (`execInContainer`).
 * - `vm`: the extension's backend container (`--vm-container`).
 * - `host`: a binary from the extension's `host` folder (`--host-dir`).
 * - `docker`: the `docker` CLI against the gateway's engine.
 */
export type ExecTarget = 'container' | 'vm' | 'host' | 'docker';

/** `POST exec` and `POST spawn` bodies. `argv` is already tokenised by the shim: the gateway never parses a command line. */
export interface ExecRequest {
  target: ExecTarget;
  /** Required when `target` is `container`. */
  container?: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * `POST spawn`. The shim picks `id` (so it can route events before the answer
 * arrives) and names the `session`: the one event stream of that page that
 * carries the output of all its spawns. One stream a page, not one a spawn:
 * browsers open at most six HTTP/1.1 connections to a host, and a page with
 * six open streams could make no other call.
 */
export interface SpawnRequest extends ExecRequest {
  session: string;
  id: string;
}

/** Session and spawn ids: what the shim generates, and all the gateway takes. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** `POST exec` answer: Node's exec result fields. A non-zero exit is still a 200: the shim turns it into a rejection. */
export interface ExecResult {
  cmd: string;
  code: number | null;
  signal: string | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** `POST spawn` answer, once the process has started. */
export interface SpawnCreated {
  id: string;
}

/**
 * The SSE events of `GET spawn/events?session=<session>`; each `data` is JSON
 * and names the spawn it belongs to.
 */
export interface SpawnEvents {
  /** A chunk of output, decoded as UTF-8 (a character split across writes comes out whole). */
  stdout: { id: string; data: string };
  stderr: { id: string; data: string };
  /** The process ended. `code` is null when it was killed by `signal`. The spawn's last event. */
  exit: { id: string; code: number | null; signal: string | null };
  /** The gateway lost the process (engine gone). The spawn's last event. */
  error: { id: string } & GatewayErrorBody['error'];
}

export type SpawnEventName = keyof SpawnEvents;

/** Machine-readable reasons the gateway itself failed a call. */
export type GatewayErrorCode =
  | 'bad-request'
  | 'forbidden'
  | 'not-found'
  | 'payload-too-large'
  | 'too-many-spawns'
  | 'backend-unreachable'
  | 'backend-timeout'
  | 'no-backend'
  | 'engine-unreachable'
  | 'no-such-container'
  | 'container-not-running'
  | 'no-vm-container'
  | 'no-host-dir'
  | 'command-not-found'
  /** The program exists but could not be started (permission denied, no such `cwd`, …). */
  | 'cannot-start'
  /** An exec collected more output than the gateway's limit; the process was killed. */
  | 'output-too-large'
  /** The Docker engine answered with an error the gateway has no better name for. */
  | 'engine-error'
  | 'internal';

/** The JSON body of every response the gateway makes itself on failure (with {@link GATEWAY_ERROR_HEADER}). */
export interface GatewayErrorBody {
  error: { code: GatewayErrorCode; message: string };
}

/**
 * A recorded session (`gateway --record <file>`), replayed by
 * `install({replay})`: one entry per call, in the order they were made, as
 * readable, diff-friendly JSON (docs/protocol.md, Fixtures).
 */
export interface Fixture {
  version: 1;
  calls: FixtureCall[];
}

export type FixtureCall =
  | {
      kind: 'service';
      method: string;
      /** Path and query, as the page asked. */
      url: string;
      /** The request body as text, when there was one. */
      body?: string;
      status: number;
      /** The response body: parsed when it was JSON, else the text. */
      response: unknown;
      /** Set when the gateway itself answered (backend down, …): protocol's x-ddshim-error. */
      gatewayError?: GatewayErrorCode;
    }
  | { kind: 'exec'; request: ExecRequest; result?: ExecResult; error?: GatewayErrorBody['error'] & { status: number } }
  | {
      kind: 'spawn';
      request: ExecRequest;
      /** Output with its time in ms since the spawn started. */
      output: Array<{ at: number; stdout?: string; stderr?: string }>;
      exit?: { at: number; code: number | null; signal: string | null };
      error?: GatewayErrorBody['error'] & { status: number };
    }
  | { kind: 'docker'; path: string; status: number; response: unknown };

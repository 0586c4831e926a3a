/**
 * Which Docker engine to talk to, resolved the way the docker CLI does:
 * `DOCKER_HOST`, else the context named by `DOCKER_CONTEXT` or by
 * `currentContext` in `$DOCKER_CONFIG/config.json` (its
 * `contexts/meta/<sha256 of name>/meta.json` → `Endpoints.docker.Host`),
 * else `unix:///var/run/docker.sock`.
 *
 * Supported transports: `unix://` and plain `tcp://`/`http://`. TLS
 * (`DOCKER_TLS_VERIFY`, `https://`), `ssh://` and `npipe://` are not: such a
 * host resolves to a target carrying an `unsupported` reason, which every call
 * then reports, so the gateway still starts for the features that need no engine.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export interface EngineTarget {
  /** The host URL as given/resolved, for messages. */
  host: string;
  /** What undici connects to: `http://localhost` for a socket, else `http://host:port`. */
  origin: string;
  socketPath?: string;
  /** Why this host cannot be used (TLS, ssh, …); undefined when it can. */
  unsupported?: string;
}

type Env = Record<string, string | undefined>;

export function resolveDockerHost(env: Env = process.env, home: string = homedir()): string {
  if (env['DOCKER_HOST']) return env['DOCKER_HOST'];
  const configDir = env['DOCKER_CONFIG'] || join(home, '.docker');
  const context = env['DOCKER_CONTEXT'] || currentContext(configDir);
  if (!context || context === 'default') return DEFAULT_DOCKER_HOST;
  const id = createHash('sha256').update(context).digest('hex');
  const metaPath = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const meta = readJson(metaPath) as { Endpoints?: { docker?: { Host?: unknown } } } | undefined;
  const host = meta?.Endpoints?.docker?.Host;
  if (typeof host !== 'string' || !host) {
    // The CLI refuses too ("context … does not exist"); say where we looked.
    throw new Error(`docker context "${context}" has no Docker endpoint (looked in ${metaPath}); run \`docker context use default\` or set DOCKER_HOST`);
  }
  return host;
}

export function parseDockerHost(host: string, env: Env = process.env): EngineTarget {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return { host, origin: 'http://localhost', unsupported: `"${host}" is not a Docker host URL (expected unix:///path/docker.sock or tcp://host:port)` };
  }
  const tls = env['DOCKER_TLS_VERIFY'] ? 'DOCKER_TLS_VERIFY is set, but' : '';
  switch (url.protocol) {
    case 'unix:': {
      const socketPath = decodeURIComponent(url.pathname);
      return { host, origin: 'http://localhost', socketPath };
    }
    case 'tcp:':
    case 'http:': {
      if (tls) return { host, origin: `http://${url.host}`, unsupported: `${tls} ddclient-shim talks plain HTTP to the engine only: TLS is not supported (unset DOCKER_TLS_VERIFY, or reach the engine through a unix socket or an SSH tunnel)` };
      const port = url.port || '2375';
      return { host, origin: `http://${url.hostname}:${port}` }; // an IPv6 hostname keeps its brackets
    }
    case 'https:':
      return { host, origin: `https://${url.host}`, unsupported: 'TLS is not supported by ddclient-shim: use a unix socket, plain tcp://, or an SSH tunnel to the engine\'s socket' };
    default:
      return { host, origin: 'http://localhost', unsupported: `${url.protocol}// Docker hosts are not supported by ddclient-shim (use unix:// or tcp://; for ssh://, forward the remote socket with \`ssh -NL /tmp/docker.sock:/var/run/docker.sock host\`)` };
  }
}

function currentContext(configDir: string): string | undefined {
  const config = readJson(join(configDir, 'config.json')) as { currentContext?: unknown } | undefined;
  return typeof config?.currentContext === 'string' ? config.currentContext : undefined;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

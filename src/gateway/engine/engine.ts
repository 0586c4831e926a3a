/** createEngine: one pooled connection set to one Docker engine, and the calls over it. */
import { GatewayError } from '../errors.js';
import { statusError } from './errors.js';
import { execToEnd } from './exec.js';
import { DEFAULT_DOCKER_HOST, parseDockerHost, resolveDockerHost, type EngineTarget } from './host.js';
import { EngineHttp } from './http.js';
import { Killer } from './kill.js';
import { spawnProcess, type SpawnContext } from './spawn.js';
import type { Engine, EngineOptions } from './types.js';

/** @defaultValue for {@link EngineOptions.maxOutputBytes} */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** @defaultValue for {@link EngineOptions.killGraceMs} */
export const DEFAULT_KILL_GRACE_MS = 1000;

export function createEngine(options: EngineOptions = {}): Engine {
  const target = resolveTarget(options.host);
  const http = new EngineHttp(target);
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const ctx: SpawnContext = {
    http,
    killGraceMs,
    killer: new Killer(http, killGraceMs),
    local: target.socketPath !== undefined,
  };
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;

  return {
    host: target.host,
    exec: (req) => execToEnd({ ...ctx, maxOutputBytes }, req),
    spawn: (req) => spawnProcess(ctx, req),
    async ping() {
      const res = await http.json('GET', '/_ping');
      if (res.status !== 200) throw statusError(target.host, 'GET /_ping', res.status, res.body);
    },
    async getJson(path) {
      if (!path.startsWith('/')) throw new GatewayError(400, 'bad-request', `Engine API path must start with "/": ${JSON.stringify(path)}`);
      const res = await http.json('GET', path);
      if (res.status >= 400) throw statusError(target.host, `GET ${path}`, res.status, res.body);
      return res.body;
    },
    close: () => http.close(),
  };
}

/** A host that cannot be resolved or used still makes an engine: its calls say why (the gateway keeps serving what needs no engine). */
function resolveTarget(host: string | undefined): EngineTarget {
  let url: string;
  try {
    url = host ?? resolveDockerHost();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { host: DEFAULT_DOCKER_HOST, origin: 'http://localhost', unsupported: why };
  }
  return parseDockerHost(url);
}


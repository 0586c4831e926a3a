import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOCKER_READS, ID_PATTERN, PREFIX, ROUTES, SCRIPT_PATH, type ExecRequest } from '../protocol.js';
import { createEngine, type Engine } from './engine/index.js';
import { GatewayError, toGatewayError } from './errors.js';
import { createRecorder } from './recorder.js';
import { parseExecRequest, parseSpawnRequest } from './exec-request.js';
import { gatewayInfo } from './info.js';
import { DEFAULTS, type GatewayOptions } from './options.js';
import { createServiceProxy } from './proxy.js';
import { readJson, sendError, sendJson } from './respond.js';
import { createRunner } from './runner.js';
import { createScriptRoute, defaultScriptFile } from './script.js';
import { createGuard } from './security.js';
import { checkEnginePath, toBackendPath } from './service-path.js';
import { createSpawnSessions } from './spawn-sessions.js';
import { createStaticRoute } from './static-files.js';

export interface Gateway {
  /** `http://host:port`, the URL pages use. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops listening, ends every spawned process and open stream. */
  close(): Promise<void>;
}

/** Starts the gateway (DESIGN.md): a security layer in front of a small router over info, the served script, service proxy, exec and spawn. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const o = { ...DEFAULTS, ...definedOnly(options) };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let port = o.port;

  const guard = createGuard({ port: () => port, bindHost: o.host, allowOrigins: options.allowOrigins ?? [], token: options.token });
  const proxy = options.backend === undefined ? undefined : createServiceProxy(options.backend, { timeout: o.backendTimeout, maxBody: o.maxBody });
  const ownsEngine = !isEngine(options.engine);
  const engine: Engine = isEngine(options.engine) ? options.engine : createEngine(options.engine);
  const runner = createRunner({ engine, vmContainer: options.vmContainer, hostDir: options.hostDir });
  const recorder = options.record === undefined ? undefined : createRecorder(options.record, log);
  const exec = (req: ExecRequest, signal: AbortSignal) => (recorder ? recorder.exec(req, () => runner.exec(req, signal)) : runner.exec(req, signal));
  /** Execs running, each with what ends it: its caller hanging up, or the gateway closing (issue 7). */
  const execs = new Map<AbortController, Promise<unknown>>();
  const runExec = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = parseExecRequest(await readJson(req, o.maxBody));
    const abort = new AbortController();
    // The page closed or the call was aborted before the answer: end the process, do not let it run on unseen.
    res.once('close', () => res.writableFinished || abort.abort());
    const running = exec(body, abort.signal);
    execs.set(abort, running.catch(() => undefined));
    try {
      sendJson(res, 200, await running);
    } finally {
      execs.delete(abort);
    }
  };
  const start = (req: ExecRequest) => (recorder ? recorder.spawn(req, () => runner.spawn(req)) : runner.spawn(req));
  const spawns = createSpawnSessions({ start, maxSpawns: o.maxSpawns, dropGrace: o.dropGrace, heartbeat: o.heartbeat, log });
  const capabilities = [...(proxy ? ['service'] : []), 'exec', 'spawn'];
  const info = () => gatewayInfo({ extensionImage: o.extensionImage, capabilities });
  const script = createScriptRoute({ file: options.scriptFile ?? defaultScriptFile(), info, isAllowedOrigin: guard.isAllowedOrigin });
  const serveStatic = options.uiDir === undefined ? undefined : createStaticRoute(options.uiDir);

  async function api(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const method = req.method ?? 'GET';
    const [name = '', query = ''] = splitOnce(route, '?');
    if (name === ROUTES.service || name.startsWith(`${ROUTES.service}/`)) {
      if (proxy === undefined) throw new GatewayError(502, 'no-backend', 'this gateway forwards service calls nowhere: start it with --backend <http://host:port | unix:/path.sock>');
      const rest = route.slice(ROUTES.service.length);
      const path = toBackendPath(rest === '' || rest.startsWith('?') ? `/${rest}` : rest);
      if (recorder) return recorder.service(req, res, path, o.maxBody, (standIn) => proxy.forward(standIn, res, path));
      return proxy.forward(req, res, path);
    }
    if (name === ROUTES.info) return expect(method, 'GET', () => sendJson(res, 200, info()));
    if (name === ROUTES.exec) return expect(method, 'POST', () => runExec(req, res));
    if (name === ROUTES.spawn) {
      return expect(method, 'POST', async () => {
        const spawn = parseSpawnRequest(await readJson(req, o.maxBody));
        await spawns.spawn(spawn);
        sendJson(res, 201, { id: spawn.id });
      });
    }
    if (name === ROUTES.spawnEvents) {
      return expect(method, 'GET', () => {
        const session = new URLSearchParams(query).get('session') ?? '';
        if (!ID_PATTERN.test(session)) throw new GatewayError(400, 'bad-request', `spawn/events needs ?session= matching ${ID_PATTERN}`);
        spawns.attach(session, res);
      });
    }
    if (name.startsWith(`${ROUTES.docker}/`)) {
      return expect(method, 'GET', async () => {
        // "containers/%2e%2e/…" must not reach the engine's router.
        const path = checkEnginePath(name.slice(ROUTES.docker.length + 1));
        if (!DOCKER_READS.some((read) => read.test(path))) throw new GatewayError(404, 'not-found', `the gateway does not read ${path} from the engine`);
        const read = `${path}${query ? `?${query}` : ''}`;
        const json = await engine.getJson(`/${read}`).catch((err: unknown) => {
          recorder?.docker(read, toGatewayError(err).status, toGatewayError(err).message);
          throw err;
        });
        recorder?.docker(read, 200, json);
        sendJson(res, 200, json);
      });
    }
    const id = /^spawn\/([^/]+)$/.exec(name)?.[1];
    if (id !== undefined) {
      return expect(method, 'DELETE', async () => {
        await spawns.stop(id);
        res.writeHead(204).end();
      });
    }
    throw new GatewayError(404, 'not-found', `no gateway route ${PREFIX}${name}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '';
    try {
      guard.checkRequest(req);
      guard.setCors(req, res);
      if (!target.startsWith('/')) throw new GatewayError(400, 'bad-request', 'only origin-form request targets (/path) are served');
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      const [pathname = ''] = splitOnce(target, '?');
      if (script.serves(pathname)) {
        return await expect(req.method ?? '', 'GET', () => script.serveScript(req, res, pathname));
      }
      if (target.startsWith(PREFIX)) {
        guard.checkApiCall(req);
        return await api(req, res, target.slice(PREFIX.length));
      }
      if (serveStatic !== undefined) {
        // The UI can act through the gateway: no foreign page may frame it (clickjacking, issue 7 item 2).
        res.setHeader('content-security-policy', guard.frameAncestors);
        return await serveStatic(req, res, pathname);
      }
      throw new GatewayError(404, 'not-found', `nothing at ${pathname}: the shim is at ${SCRIPT_PATH}, the API under ${PREFIX}`);
    } catch (err) {
      if (err instanceof GatewayError && (err.status === 401 || err.status === 403)) {
        log(`${err.message} [${req.method} ${target.slice(0, 200)} origin=${req.headers.origin ?? '-'}]`);
      } else if (!(err instanceof GatewayError) || err.status >= 500) {
        log(`${req.method} ${target.slice(0, 200)}: ${(err as Error).message}`);
      }
      sendError(res, err);
    }
  }

  // A client that trickles its headers is cut off after headersTimeout (slowloris); Node checks
  // every connectionsCheckingInterval, 30 s by default, so check each second. No request timeout:
  // spawn streams are long-lived by design.
  const server = createServer({ headersTimeout: o.headersTimeout, requestTimeout: 0, connectionsCheckingInterval: 1_000 }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = o.host.includes(':') ? `[${o.host}]` : o.host;

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    server,
    async close() {
      // Processes first, while the engine is still there to end them in their containers.
      for (const abort of execs.keys()) abort.abort();
      await Promise.all([spawns.close(), ...execs.values()]);
      recorder?.close();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await proxy?.close();
      if (ownsEngine) await engine.close();
    },
  };
}

/** Runs `fn` when the request's method is `method` (HEAD counts as GET), else answers 405. */
async function expect(actual: string, method: string, fn: () => unknown): Promise<void> {
  if (actual !== method && !(method === 'GET' && actual === 'HEAD')) {
    throw new GatewayError(405, 'bad-request', `this route takes ${method}, not ${actual}`);
  }
  await fn();
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i === -1 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function isEngine(value: GatewayOptions['engine']): value is Engine {
  return typeof (value as Engine | undefined)?.exec === 'function';
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

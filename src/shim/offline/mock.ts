import type { ExecRequest, ExecResult, ExecTarget } from '../../protocol.js';
import type { ServiceRequest, Transport } from '../transport.js';
import { asReceived, execResult, gatewayError, play, serviceError, sleep, type Script } from './respond.js';

/** A reply with a status, and a delay: `reply(404, {message: 'no'})`. A plain value is a 200 with that body. */
export interface MockReply {
  readonly status: number;
  readonly body?: unknown;
  readonly delay?: number;
}
// Symbol.for: a reply made by one copy of the shim (`ddclient-shim`) is known to another
// (`ddclient-shim/storybook` bundles its own). On the prototype, so a reply is not a plain
// object: Storybook merges plain objects of parameters key by key and would drop the brand.
const REPLY = Symbol.for('ddclient-shim.reply');
const REPLY_PROTO = { [REPLY]: true };
export function reply(status: number, body?: unknown, options: { delay?: number } = {}): MockReply {
  return Object.assign(Object.create(REPLY_PROTO) as object, { status, body, ...options }) as MockReply;
}
const isReply = (v: unknown): v is MockReply => typeof v === 'object' && v !== null && REPLY in v;

export interface MockServiceRequest extends ServiceRequest {
  /** `:name` parts of the handler's path. */
  params: Record<string, string>;
  /** The query string, parsed. */
  query: URLSearchParams;
}

type Maybe<T> = T | Promise<T>;
/** A body (any JSON value), a `reply()`, or a function of the request giving either. */
export type MockAnswer<Req> = ((req: Req) => unknown) | string | number | boolean | null | object;
type ArgvMatcher = string[] | ((argv: string[]) => boolean);

export interface MockExec {
  target?: ExecTarget;
  container?: string;
  /** The argv exactly (a V0 line is tokenised first), or a predicate. */
  argv: ArgvMatcher;
  /** The result; a non-zero `code` rejects as a real exec does. */
  result: Partial<ExecResult> | ((req: ExecRequest) => Maybe<Partial<ExecResult>>);
  delay?: number;
}

export interface MockSpawn {
  target?: ExecTarget;
  container?: string;
  argv: ArgvMatcher;
  /** Output chunks, each `after` ms after the previous one. */
  script: Array<{ after?: number; stdout?: string; stderr?: string }>;
  /** Exit code at the end of the script. @defaultValue 0 */
  code?: number;
  /** Fail to start instead, with this message (as a missing binary would). */
  error?: string;
}

/** What `install({mock})` answers from (issue 6). */
export interface MockHandlers {
  /** Service calls by `"METHOD /path/:param"` (`"GET /items/:id"`); values, `reply()`s, or functions of the request returning either. */
  service?: Record<string, MockAnswer<MockServiceRequest>>;
  exec?: MockExec[];
  spawn?: MockSpawn[];
  /** Engine reads by path (`"containers/json"`): values or functions of the query. */
  docker?: Record<string, MockAnswer<URLSearchParams>>;
}

/** The transport of mock mode: the same client, fed from the page. Unhandled calls say which handler to add. */
export function createMockTransport(handlers: MockHandlers): Transport {
  const routes = Object.entries(handlers.service ?? {}).map(([key, answer]) => {
    const [method = '', path = ''] = key.trim().split(/\s+/);
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/:(\w+)/g, (_, name: string) => (names.push(name), '/([^/]+)'))}$`);
    return { method: method.toUpperCase(), pattern, names, answer };
  });

  const pick = <H extends { target?: ExecTarget; container?: string; argv: ArgvMatcher }>(list: H[] | undefined, req: ExecRequest) =>
    list?.find(
      (h) =>
        (h.target ?? 'container') === req.target &&
        (h.container === undefined || h.container === req.container) &&
        (typeof h.argv === 'function' ? h.argv(req.argv) : h.argv.length === req.argv.length && h.argv.every((a, i) => a === req.argv[i])),
    );

  const unhandled = (what: string, hint: string) =>
    new Error(`ddclient-shim mock: no handler for ${what}. Add one to install({ mock }): ${hint}`);
  const describe = (req: ExecRequest) => `${JSON.stringify(req.argv)} (target ${req.target}${req.container ? `, container ${req.container}` : ''})`;
  const hint = (req: ExecRequest) => `{ target: '${req.target}',${req.container ? ` container: '${req.container}',` : ''} argv: ${JSON.stringify(req.argv)}`;

  return {
    async service(req) {
      const [path = '', search = ''] = req.url.split('?');
      for (const route of routes) {
        const m = route.method === req.method ? route.pattern.exec(path) : null;
        if (!m) continue;
        const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
        let answer = route.answer;
        if (typeof answer === 'function') answer = await answer({ ...req, params, query: new URLSearchParams(search) });
        const { status, body, delay } = isReply(answer) ? answer : { status: 200, body: answer, delay: 0 };
        await sleep(delay);
        if (status < 200 || status > 299) throw serviceError(status, body);
        return asReceived(body);
      }
      throw unhandled(`${req.method} ${req.url}`, `service: { '${req.method} ${path}': <response> }`);
    },

    async exec(req) {
      const h = pick(handlers.exec, req);
      if (!h) throw unhandled(`exec ${describe(req)}`, `exec: [${hint(req)}, result: { stdout: '' } }]`);
      await sleep(h.delay);
      return execResult(req, typeof h.result === 'function' ? await h.result(req) : h.result);
    },

    spawn(req, listener) {
      const h = pick(handlers.spawn, req);
      let at = 0;
      const script: Script = h
        ? h.error !== undefined
          ? { output: [], error: gatewayError({ code: 'command-not-found', message: h.error, status: 404 }) }
          : { output: h.script.map((c) => ({ ...c, at: (at += c.after ?? 0) })), exit: { at, code: h.code ?? 0 } }
        : { output: [], error: unhandled(`spawn ${describe(req)}`, `spawn: [${hint(req)}, script: [{ stdout: 'hello\\n' }], code: 0 }]`) };
      return play(script, listener);
    },

    async docker(path) {
      const [name = '', search = ''] = path.split('?');
      const answer = handlers.docker?.[name];
      if (answer === undefined) throw unhandled(`docker ${path}`, `docker: { '${name}': [] }`);
      await sleep();
      return asReceived(typeof answer === 'function' ? await answer(new URLSearchParams(search)) : answer);
    },
  };
}

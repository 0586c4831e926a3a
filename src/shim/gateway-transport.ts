import axios, { type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { CLIENT_HEADER, GATEWAY_ERROR_HEADER, PREFIX, ROUTES, TOKEN_HEADER, type ExecRequest, type GatewayErrorBody, type GatewayInfo } from '../protocol.js';
import { GatewayError, GatewayUnreachableError, type ServiceError } from './errors.js';
import type { SpawnChannelFactory } from './spawn-channel.js';
import type { Transport } from './transport.js';

export interface GatewayTransportOptions {
  /** The gateway's URL, e.g. `http://127.0.0.1:7777`. */
  gateway: string;
  /** The gateway's `--token`, sent in a header on every call. */
  token?: string | undefined;
  /**
   * How long a service call or exec may take, in ms; 0 waits as long as Docker Desktop would (forever).
   * @defaultValue 0
   */
  timeout?: number | undefined;
  /**
   * Makes the spawn channel: `createSpawnChannel`, or in the script-tag build the lazily loaded one
   * (lazy-spawn.ts). Handed in, not imported, for that build's size (issue 8).
   */
  spawnChannel: SpawnChannelFactory;
}

/** The transport that talks to a ddclient-shim gateway: axios for calls, fetch + SSE for spawns. */
export function createGatewayTransport(opts: GatewayTransportOptions): Transport & { info(): Promise<GatewayInfo> } {
  const gateway = opts.gateway.replace(/\/+$/, '');
  const base = gateway + PREFIX;
  const headers: Record<string, string> = { [CLIENT_HEADER]: '1', ...(opts.token ? { [TOKEN_HEADER]: opts.token } : {}) };
  const http = axios.create({
    baseURL: base,
    headers,
    timeout: opts.timeout ?? 0,
    // The raw text: a ServiceError's message is the body as sent (§2.1), so we parse it ourselves.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });

  const send = async (what: string, config: AxiosRequestConfig): Promise<AxiosResponse<string>> => {
    try {
      return await http.request<string>(config);
    } catch (err) {
      if (axios.isAxiosError(err) && err.response === undefined) {
        // A network failure has a string code (ERR_NETWORK, ECONNREFUSED, …). With none, axios wrapped an
        // error of the call itself, such as the browser refusing a header name with CR/LF in it: that is
        // the page's to fix, not a gateway that is down (issue 7, found by test/adversarial/cross-site).
        if (typeof err.code !== 'string') throw err.cause ?? err;
        if (err.code !== 'ECONNABORTED' && err.code !== 'ERR_CANCELED') throw new GatewayUnreachableError(gateway, what);
      }
      throw err;
    }
  };

  /** The gateway's own failure, with its message; undefined for a backend's answer. */
  const ownError = (res: AxiosResponse<string>): GatewayError | undefined => {
    const code = res.headers[GATEWAY_ERROR_HEADER] as string | undefined;
    if (code === undefined) return undefined;
    let message = res.data;
    try {
      message = (JSON.parse(res.data) as GatewayErrorBody).error.message;
    } catch {
      // not our JSON after all: keep the text
    }
    return new GatewayError(code, `ddclient-shim: ${message}`, res.status);
  };

  const call = async <T>(what: string, config: AxiosRequestConfig): Promise<T> => {
    const res = await send(what, config);
    if (ok(res)) return JSON.parse(res.data) as T;
    throw ownError(res) ?? new GatewayError('internal', `ddclient-shim: ${what}: the gateway answered ${res.status} ${res.data}`, res.status);
  };

  /** `POST exec` or `POST spawn`; errors name the command. */
  const post = <T>(route: string, body: ExecRequest): Promise<T> => call(`${route} ${body.argv.join(' ')}`, { url: route, method: 'POST', data: body });
  const spawns = opts.spawnChannel({ base, gateway, headers, post: (body) => post(ROUTES.spawn, body) });

  return {
    async service(req) {
      const res = await send(`${req.method} ${req.url}`, { url: `${ROUTES.service}${req.url}`, method: req.method, headers: req.headers ?? {}, data: req.data });
      if (ok(res)) return parseBody(res.data);
      const error: ServiceError = ownError(res) ?? { name: res.statusText || String(res.status), message: res.data, statusCode: res.status };
      throw error;
    },
    exec: (req) => post(ROUTES.exec, req),
    spawn: (req, listener) => spawns.start(req, listener),
    // axios's method defaults to GET.
    docker: (path) => call(`docker ${path}`, { url: `${ROUTES.docker}/${path}` }),
    info: () => call<GatewayInfo>('info', { url: ROUTES.info }),
  };
}

const ok = (res: AxiosResponse): boolean => res.status >= 200 && res.status < 300;

/** The body as JSON when it parses, else the text: what axios's default response handling gives (§2.1, inferred). */
function parseBody(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

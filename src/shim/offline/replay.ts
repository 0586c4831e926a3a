import type { ExecRequest, Fixture, FixtureCall } from '../../protocol.js';
import type { Transport } from '../transport.js';
import { asReceived, gatewayError, play, serviceError, sleep } from './respond.js';

type Kind = FixtureCall['kind'];
type Of<K extends Kind> = Extract<FixtureCall, { kind: K }>;

/**
 * Replays a recorded session (`gateway --record`) — issue 6. Matching, as
 * docs/protocol.md documents it: a service call by method, path with query,
 * and body; an exec or spawn by target, container and argv (cwd and env
 * too); an engine read by path. Calls that match the same key are answered
 * in recorded order, and the last answer repeats. A call that is not in the
 * fixture rejects, naming the call and what the fixture does have.
 *
 * `fixture` may be a URL (the script tag's `data-replay`): it is fetched once,
 * on the first call, so installing stays synchronous.
 */
export function createReplayTransport(fixture: Fixture | string): Transport {
  const loaded: Promise<Map<string, FixtureCall[]>> = (
    typeof fixture === 'string'
      ? fetch(fixture).then((res) => {
          if (!res.ok) throw new Error(`ddclient-shim replay: cannot load the fixture ${fixture}: ${res.status} ${res.statusText}`);
          return res.json() as Promise<Fixture>;
        })
      : Promise.resolve(fixture)
  ).then((f) => {
    if (f?.version !== 1 || !Array.isArray(f.calls)) throw new Error('ddclient-shim replay: not a fixture (expected {version: 1, calls: [...]}, as `gateway --record` writes)');
    const byKey = new Map<string, FixtureCall[]>();
    for (const call of f.calls) byKey.set(keyOf(call), [...(byKey.get(keyOf(call)) ?? []), call]);
    return byKey;
  });
  loaded.catch(() => {});
  const used = new Map<string, number>();

  const next = async <K extends Kind>(kind: K, key: string, what: string): Promise<Of<K>> => {
    const calls = (await loaded).get(key);
    if (calls === undefined) {
      const have = [...(await loaded).keys()].filter((k) => k.startsWith(kind)).slice(0, 8);
      throw new Error(`ddclient-shim replay: ${what} is not in the fixture. It has: ${have.length ? have.join('; ') : `no ${kind} calls`}. Record it again with the gateway's --record.`);
    }
    const i = used.get(key) ?? 0;
    used.set(key, i + 1);
    await sleep();
    return calls[Math.min(i, calls.length - 1)] as Of<K>;
  };

  return {
    async service(req) {
      const body = req.data === undefined ? undefined : typeof req.data === 'string' ? req.data : JSON.stringify(req.data);
      const call = await next('service', keyOf({ kind: 'service', method: req.method, url: req.url, body } as Of<'service'>), `${req.method} ${req.url}`);
      if (call.gatewayError) throw gatewayError({ code: call.gatewayError, message: String(call.response), status: call.status });
      if (call.status < 200 || call.status > 299) throw serviceError(call.status, call.response);
      return asReceived(call.response);
    },
    async exec(req) {
      const call = await next('exec', execKey('exec', req), `exec ${JSON.stringify(req.argv)}`);
      if (call.error) throw gatewayError(call.error);
      return call.result!;
    },
    spawn(req, listener) {
      return play(
        next('spawn', execKey('spawn', req), `spawn ${JSON.stringify(req.argv)}`).then((call) => ({
          output: call.output,
          exit: call.exit,
          error: call.error && gatewayError(call.error),
        })),
        listener,
      );
    },
    async docker(path) {
      const call = await next('docker', `docker ${path}`, `docker ${path}`);
      if (call.status !== 200) throw serviceError(call.status, call.response);
      return asReceived(call.response);
    },
  };
}

function execKey(kind: 'exec' | 'spawn', r: ExecRequest): string {
  return `${kind} ${JSON.stringify([r.target, r.container ?? null, r.argv, r.cwd ?? null, r.env ?? null])}`;
}

function keyOf(call: FixtureCall): string {
  switch (call.kind) {
    case 'service':
      return `service ${call.method} ${call.url}${call.body === undefined ? '' : ` ${call.body}`}`;
    case 'docker':
      return `docker ${call.path}`;
    default:
      return execKey(call.kind, call.request);
  }
}

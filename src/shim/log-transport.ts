import type { Transport } from './transport.js';

/**
 * Wraps a transport so each call shows in devtools as one collapsed console
 * group: what was asked, what came back (or the error), and how long it took
 * (issue 6). Spawns log their start and their end.
 */
export function withLogging(inner: Transport): Transport {
  const log = <T>(title: string, request: unknown, call: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const done = (outcome: string, value: unknown, ok: boolean) => {
      console.groupCollapsed(`%cddClient ${title} %c${outcome} %c${Math.round(performance.now() - start)} ms`, 'font-weight:bold', `color:${ok ? 'green' : 'red'}`, 'color:gray');
      console.log('request', request);
      console.log(ok ? 'response' : 'error', value);
      console.groupEnd();
    };
    return call().then(
      (value) => (done('ok', value, true), value),
      (err: unknown) => {
        done('failed', err, false);
        throw err;
      },
    );
  };
  return {
    service: (req) => log(`${req.method} ${req.url}`, req, () => inner.service(req)),
    exec: (req) => log(`exec ${req.argv.join(' ')}`, req, () => inner.exec(req)),
    docker: (path) => log(`docker ${path}`, path, () => inner.docker(path)),
    spawn(req, listener) {
      let settle!: (outcome: [unknown, boolean]) => void;
      void log(`spawn ${req.argv.join(' ')}`, req, () => new Promise<[unknown, boolean]>((r) => (settle = r)).then(([v, ok]) => (ok ? v : Promise.reject(v))));
      return inner.spawn(req, {
        output: listener.output,
        exit(code, signal) {
          settle([{ code, signal }, true]);
          listener.exit(code, signal);
        },
        error(err) {
          settle([err, false]);
          listener.error(err);
        },
      });
    },
  };
}

/** `inner`, logged when `on`. */
export const logged = (inner: Transport, on: boolean): Transport => (on ? withLogging(inner) : inner);

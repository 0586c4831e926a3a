// @vitest-environment happy-dom
// What the script-tag build loads on first use (issue 8): the in-page UI and
// the spawn code, each an ES module beside the script (src/shim/chunk.ts).
// Calls made while one loads are kept in order; one that cannot load says so,
// naming its file and where it was looked for; and a spawn closed, or left
// behind by pagehide, before its module loaded never starts (DDCLIENT-SEMANTICS §2.3).
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecRequest } from '../../src/protocol.js';
import { lazySpawnChannel } from '../../src/shim/lazy-spawn.js';
import type { SpawnListener } from '../../src/shim/transport.js';
import { lazyUi } from '../../src/shim/ui/lazy.js';

const UNREACHABLE = 'http://127.0.0.1:9/ddclient-shim.js';
const CANNOT = 'ddclient-shim: could not load toasts and dialogs (ddclient-shim-ui.js next to http://127.0.0.1:9/ddclient-shim.js)';
const BUILT = pathToFileURL('dist/ddclient-shim.js').href;

describe('lazyUi', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('imports the UI module on the first toast and shows toasts in the order asked', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const ui = lazyUi(BUILT);
    ui.toast('success', 'one');
    ui.toast('error', 'two');
    await expect.poll(() => document.querySelectorAll('[data-ddshim-toast]').length).toBe(2);
    expect([...document.querySelectorAll('[data-ddshim-toast]')].map((t) => t.getAttribute('data-ddshim-toast'))).toEqual(['success', 'error']);
  });

  it('when the UI cannot load: a toast is still logged with its text, a dialog and a navigation reject naming the URL', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ui = lazyUi(UNREACHABLE);
    ui.toast('warning', 'careful');
    await expect(ui.openDialog({})).rejects.toThrow(CANNOT);
    await expect(ui.navigate({} as never, 'Containers', undefined, undefined)).rejects.toThrow(CANNOT);
    expect(warn).toHaveBeenCalledWith(`${CANNOT}; toast (warning): careful`);
  });

  it('a base no URL resolves against (data-gateway="localhost:7777") fails the UI, not the install', async () => {
    const ui = lazyUi('localhost:7777/');
    await expect(ui.openDialog({})).rejects.toThrow('ddclient-shim: could not load toasts and dialogs (ddclient-shim-ui.js next to localhost:7777/)');
  });
});

describe('lazySpawnChannel', () => {
  /** A listener that records what it is told, in order. */
  const recorder = () => {
    const events: unknown[] = [];
    const listener: SpawnListener = {
      output: (chunk) => events.push(chunk),
      exit: (code, signal) => events.push({ exit: code, signal }),
      error: (err) => events.push({ error: err.message }),
    };
    return { events, listener };
  };
  const req = (cmd: string): ExecRequest => ({ target: 'host', argv: [cmd] });

  /** A channel over a gateway that takes every spawn and never sends an event; `posted` lists the commands started. */
  const channel = (base: string) => {
    const posted: string[] = [];
    // The stream and any DELETE: pending forever / answered at once; only POST spawn is counted.
    const fetches = vi.fn((_url: string, init?: RequestInit) => (init?.method === 'DELETE' ? Promise.resolve(new Response(null)) : new Promise<Response>(() => {})));
    vi.stubGlobal('fetch', fetches);
    const make = lazySpawnChannel(base);
    const spawns = make({
      base: 'http://127.0.0.1:1/_dd/',
      gateway: 'http://127.0.0.1:1',
      headers: {},
      post: async (body) => void posted.push(body.argv.join(' ')),
    });
    return { spawns, posted, fetches };
  };

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('returns each handle at once, and starts the spawns asked for while it loads, in order, once loaded', async () => {
    const { spawns, posted } = channel(BUILT);
    const handles = ['one', 'two', 'three'].map((cmd) => spawns.start(req(cmd), recorder().listener));
    expect(handles.every((h) => typeof h.close === 'function')).toBe(true);
    expect(posted).toEqual([]);
    await expect.poll(() => posted).toEqual(['one', 'two', 'three']);
    spawns.start(req('four'), recorder().listener);
    await expect.poll(() => posted).toEqual(['one', 'two', 'three', 'four']);
  });

  it('a spawn closed before the module loaded never starts, and its listener hears it stopped, once', async () => {
    const { spawns, posted } = channel(BUILT);
    const closed = recorder();
    spawns.start(req('closed'), closed.listener).close();
    spawns.start(req('kept'), recorder().listener);
    await expect.poll(() => posted).toEqual(['kept']);
    expect(closed.events).toEqual([{ exit: null, signal: 'SIGTERM' }]);
  });

  it('a spawn closed once started is stopped by the real channel (DELETE after its POST)', async () => {
    const { spawns, posted, fetches } = channel(BUILT);
    const handle = spawns.start(req('running'), recorder().listener);
    await expect.poll(() => posted).toEqual(['running']);
    handle.close();
    await expect.poll(() => fetches.mock.calls.filter(([, init]) => init?.method === 'DELETE').length).toBe(1);
  });

  it('a spawn left behind by pagehide before the module loaded never starts, and nothing is reported', async () => {
    const { spawns, posted } = channel(BUILT);
    const left = recorder();
    spawns.start(req('left'), left.listener);
    window.dispatchEvent(new Event('pagehide'));
    // A spawn after the page comes back (bfcache) still runs: only the ones waiting then are dropped.
    spawns.start(req('after'), recorder().listener);
    await expect.poll(() => posted).toEqual(['after']);
    expect(left.events).toEqual([]);
  });

  it('when the module cannot load: each waiting spawn errors naming the file and where, none starts, nothing is retried', async () => {
    const { spawns, posted, fetches } = channel(UNREACHABLE);
    const a = recorder();
    const b = recorder();
    spawns.start(req('a'), a.listener);
    spawns.start(req('b'), b.listener);
    const error = { error: 'ddclient-shim: could not load streamed processes (ddclient-shim-spawn.js next to http://127.0.0.1:9/ddclient-shim.js)' };
    await expect.poll(() => [a.events, b.events]).toEqual([[error], [error]]);
    expect(posted).toEqual([]);
    expect(fetches).not.toHaveBeenCalled();
  });
});

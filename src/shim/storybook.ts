/**
 * `ddclient-shim/storybook` (issue 6): a Storybook decorator that gives every
 * story its own `window.ddClient` answers, from `parameters.ddClient`.
 *
 * ```ts
 * // .storybook/preview.ts
 * import { withDdClient } from 'ddclient-shim/storybook';
 * export default { decorators: [withDdClient] };
 * ```
 *
 * Importing this module installs `window.ddClient` at once: extension UIs take
 * the client at module top level (`const ddClient = createDockerDesktopClient()`),
 * and Storybook imports a story's module before its decorators run. So the
 * client object stays the same for the whole session; what the decorator swaps
 * per story is where its calls go. Switching stories starts from fresh mock
 * state, replays a fixture from its first call again, and stops the processes
 * the previous story left running.
 *
 * Dependency-free: no Storybook package is imported, the types are structural.
 */
import type { Fixture } from '../protocol.js';
import { PLACEHOLDER_INFO, updateInfo, type DockerDesktopClient } from './client.js';
import { createGatewayTransport } from './gateway-transport.js';
import { logged } from './log-transport.js';
import { mount } from './mount.js';
import { createMockTransport, type MockHandlers } from './offline/mock.js';
import { createReplayTransport } from './offline/replay.js';
import { createSpawnChannel } from './spawn-channel.js';
import type { SpawnHandle, Transport } from './transport.js';
import { inPageUi } from './ui/index.js';

export { reply, type MockHandlers, type MockExec, type MockSpawn, type MockReply, type MockServiceRequest } from './offline/mock.js';
export type { Fixture, FixtureCall } from '../protocol.js';
export type { DockerDesktopClient } from './client.js';

/**
 * `parameters.ddClient` of a story, its component's meta, or `.storybook/preview.ts`.
 * Storybook merges these levels key by key; when several kinds end up set, the
 * first of `mock`, `replay`, `gateway` wins.
 */
export interface DdClientParameters {
  /** Answer from these handlers, as `install({ mock })` does. */
  mock?: MockHandlers | null | undefined;
  /** Replay this fixture (`gateway --record`), or the fixture at this URL. */
  replay?: Fixture | string | null | undefined;
  /** Call a live gateway, e.g. `http://127.0.0.1:7777`. */
  gateway?: string | null | undefined;
  /** The gateway's `--token`. */
  token?: string | undefined;
  /** Log each call as a collapsed console group. @defaultValue true for mock and replay, false for a gateway */
  log?: boolean | undefined;
}

/** The parts of Storybook's `StoryContext` the decorator reads. */
export interface DdClientStoryContext {
  id: string;
  parameters: { readonly [key: string]: unknown };
}

/**
 * A `window.ddClient` from the preview-head script tag is replaced by the
 * decorator's (its object must be the one stories capture): say so, and how to
 * keep calling that gateway.
 */
function replacedHint(): string {
  if (window.ddClient === undefined) return '';
  const tag = document.querySelector<HTMLScriptElement>('script[src$="/ddclient-shim.js"]');
  const gateway = tag ? (tag.dataset['gateway'] ?? new URL(tag.src).origin) : 'http://127.0.0.1:7777';
  return `. The window.ddClient that was there${tag ? ` (from ${tag.src})` : ''} was replaced when ddclient-shim/storybook was imported: to call that gateway from every story, set parameters.ddClient = { gateway: '${gateway}' } in .storybook/preview.ts`;
}

const NO_PARAMETERS =
  "no ddClient parameters for this story: add parameters.ddClient = { mock: { service: { 'GET /items': [] } } } (or { replay: fixture } or { gateway: 'http://127.0.0.1:7777' }) to the story, its meta or .storybook/preview.ts" +
  replacedHint();

/** Where calls go in a story without `parameters.ddClient`: every call says what to add. */
function unconfigured(what = NO_PARAMETERS): Transport {
  const fail = (call: string) => new Error(`ddclient-shim storybook: ${call}: ${what}`);
  return {
    service: async (req) => Promise.reject(fail(`${req.method} ${req.url}`)),
    exec: async (req) => Promise.reject(fail(`exec ${req.argv.join(' ')}`)),
    docker: async (path) => Promise.reject(fail(`docker ${path}`)),
    spawn(req, listener) {
      const timer = setTimeout(() => listener.error(fail(`spawn ${req.argv.join(' ')}`)));
      return { close: () => clearTimeout(timer) };
    },
  };
}

let current: Transport = unconfigured();
/** The spawns of the current story that have not ended: the next story stops them. */
let running = new Set<SpawnHandle>();
let shown: { id: string; params: unknown } | undefined;
/** Counts story switches: a gateway's host info that comes back late only applies to its own story. */
let generation = 0;
/** One gateway transport per gateway and token for the session: each holds the page's spawn event stream. */
const gateways = new Map<string, ReturnType<typeof createGatewayTransport>>();

/** The one transport of `window.ddClient`: forwards to the current story's. */
const switching: Transport = {
  service: (req) => current.service(req),
  exec: (req) => current.exec(req),
  docker: (path) => current.docker(path),
  spawn(req, listener) {
    const story = running;
    let ended = false;
    let tracked: SpawnHandle | undefined;
    const end = () => {
      ended = true;
      if (tracked) story.delete(tracked);
    };
    const handle = current.spawn(req, {
      output: (chunk) => listener.output(chunk),
      exit: (code, signal) => (end(), listener.exit(code, signal)),
      error: (err) => (end(), listener.error(err)),
    });
    let closed = false;
    tracked = {
      close() {
        if (closed) return;
        closed = true;
        story.delete(tracked!);
        handle.close();
      },
    };
    if (!ended) story.add(tracked);
    return tracked;
  },
};

const client: DockerDesktopClient = mount(switching, { ui: inPageUi, replace: true });

function transportFor(params: DdClientParameters): Transport {
  if (params.mock) return logged(createMockTransport(params.mock), params.log !== false);
  if (params.replay) return logged(createReplayTransport(params.replay), params.log !== false);
  if (params.gateway) {
    const key = `${params.gateway} ${params.token ?? ''}`;
    let gateway = gateways.get(key);
    if (gateway === undefined) gateways.set(key, (gateway = createGatewayTransport({ gateway: params.gateway, token: params.token, spawnChannel: createSpawnChannel })));
    const story = generation;
    gateway.info().then(
      (info) => story === generation && updateInfo(client, info),
      (err: Error) => console.warn(err.message),
    );
    return logged(gateway, params.log === true);
  }
  const has = Object.keys(params).filter((k) => params[k as keyof DdClientParameters] != null);
  return unconfigured(`parameters.ddClient has none of mock, replay or gateway (it has: ${has.join(', ') || 'nothing'}); give it one, e.g. { mock: { service: { 'GET /items': [] } } }`);
}

/**
 * The decorator: `decorators: [withDdClient]` in `.storybook/preview.ts`.
 * On each new story (or new parameters) it stops what the previous story left
 * running and points `window.ddClient` at `parameters.ddClient`; re-renders
 * of the same story (args changes) keep its state.
 */
export function withDdClient<R>(story: () => R, context: DdClientStoryContext): R {
  const params = context.parameters['ddClient'];
  if (shown === undefined || shown.id !== context.id || shown.params !== params) {
    shown = { id: context.id, params };
    for (const spawn of [...running]) spawn.close();
    running = new Set();
    generation += 1;
    updateInfo(client, PLACEHOLDER_INFO);
    current = typeof params === 'object' && params !== null ? transportFor(params as DdClientParameters) : unconfigured();
  }
  return story();
}

/** The client the decorator installed (the same object as `window.ddClient`). */
export const ddClient: DockerDesktopClient = client;

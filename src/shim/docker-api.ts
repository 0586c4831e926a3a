import { checkObject, checkString, typeError } from './args.js';
import type { Transport } from './transport.js';
import type { Ui } from './ui/index.js';

/**
 * Engine list options as a query string (DDCLIENT-SEMANTICS §3): `all`,
 * `limit`, `size`, `digests` as they are, `filters` as a JSON string (an
 * object is stringified for you).
 */
function query(at: string, options: unknown): string {
  if (options === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(checkObject<Record<string, unknown>>(at, 'options', options))) {
    if (value !== undefined) params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `docker.listContainers` / `listImages` (and their V0 twins): the raw JSON of the engine's `GET /<what>/json`. */
export const lister =
  (transport: Transport, what: 'containers' | 'images', at: string) =>
  (options?: any): Promise<unknown> =>
    transport.docker(`${what}/json${query(at, options)}`);

type Kind = 'containers' | 'images' | 'volumes';
type Go = () => Promise<void>;
type GoTo = (id: string) => Promise<void>;

/**
 * Where each `desktopUI.navigate.view<Name>` goes in Docker Desktop (§3): the
 * section, and for one object its kind (checked on the engine first) and tab.
 */
const PAGES = {
  Containers: ['Containers'],
  Container: ['Containers', 'containers'],
  ContainerLogs: ['Containers', 'containers', 'Logs'],
  ContainerInspect: ['Containers', 'containers', 'Inspect'],
  ContainerTerminal: ['Containers', 'containers', 'Terminal'],
  ContainerStats: ['Containers', 'containers', 'Stats'],
  Images: ['Images'],
  Image: ['Images', 'images'],
  Volumes: ['Volumes'],
  Volume: ['Volumes', 'volumes'],
} satisfies Record<string, [section: string, kind?: Kind, tab?: string]>;

type Page = keyof typeof PAGES;

/** V1 `desktopUI.navigate`. */
export type NavigationIntents = {
  [P in Page as `view${P}`]: P extends 'Containers' | 'Images' | 'Volumes' ? Go : P extends 'Image' ? (id: string, tag: string) => Promise<void> : GoTo;
};

/** V0 `navigateTo<Name>`: the same pages but the terminal, which V0 never had. */
export type NavigateV0 = { [P in Exclude<Page, 'ContainerTerminal'> as `navigateTo${P}`]: NavigationIntents[`view${P}`] };

/**
 * `desktopUI.navigate.*` and V0 `navigateTo*` (§3): there is no Docker
 * Desktop window to go to, so say where it would have gone; first check that
 * the object exists on the engine, and reject when it does not, as Docker
 * Desktop does. `at` in errors is the V1 name for both.
 */
export function createNavigate(transport: Transport, ui: Ui): { v1: NavigationIntents; v0: NavigateV0 } {
  const v1: Record<string, unknown> = {};
  const v0: Record<string, unknown> = {};
  for (const [name, [section, kind, tab]] of Object.entries(PAGES) as Array<[Page, [string, Kind?, string?]]>) {
    const at = `view${name}`;
    v1[at] = async (id: unknown, tag: unknown): Promise<void> => {
      const where = [section];
      if (kind !== undefined) {
        const ref = checkString(at, kind === 'volumes' ? 'volume' : 'id', id);
        await transport.docker(`${kind}/${encodeURIComponent(ref)}${kind === 'volumes' ? '' : '/json'}`).catch((err: { statusCode?: number }) => {
          throw err.statusCode === 404 ? new Error(`ddClient ${at}: no ${kind.slice(0, -1)} "${ref}" on the Docker engine`) : err;
        });
        where.push(kind === 'images' && tag ? `${ref}:${tag}` : ref);
      }
      if (tab !== undefined) where.push(tab);
      ui.toast('info', `Docker Desktop would open: ${where.join(' › ')}`);
    };
    if (name !== 'ContainerTerminal') v0[`navigateTo${name}`] = v1[at];
  }
  return { v1, v0 } as { v1: NavigationIntents; v0: NavigateV0 };
}

/** `host.openExternal` / V0 `openExternal` (§3): http(s) in a new tab, any other scheme refused. A Promise, for code that awaits it. */
export function openExternal(url: unknown): Promise<void> {
  const at = 'host.openExternal';
  const text = checkString(at, 'url', url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    // not a URL: refused below
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    return Promise.reject(typeError(at, `only http and https URLs can be opened, not "${text}"`));
  }
  window.open(parsed.href, '_blank', 'noopener,noreferrer');
  return Promise.resolve();
}

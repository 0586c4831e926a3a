import { checkObject, checkString } from './args.js';
import type { Transport } from './transport.js';
import { showToast } from './ui/toast.js';

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

/** `docker.listContainers` / V0 `listContainers`: the raw JSON of the engine's `GET /containers/json`. */
export const listContainers = (transport: Transport, at: string, options?: unknown): Promise<unknown> =>
  transport.docker(`containers/json${query(at, options)}`);

export const listImages = (transport: Transport, at: string, options?: unknown): Promise<unknown> =>
  transport.docker(`images/json${query(at, options)}`);

/**
 * `desktopUI.navigate.*` and V0 `navigateTo*` (§3): there is no Docker
 * Desktop window to go to, so say where it would have gone; first check that
 * the object exists on the engine, and reject when it does not, as Docker
 * Desktop does.
 */
export async function navigate(transport: Transport, at: string, where: string[], check?: { kind: 'containers' | 'images' | 'volumes'; id: unknown }): Promise<void> {
  if (check !== undefined) {
    const id = checkString(at, check.kind === 'volumes' ? 'volume' : 'id', check.id);
    const path = `${check.kind}/${encodeURIComponent(id)}${check.kind === 'volumes' ? '' : '/json'}`;
    await transport.docker(path).catch((err: { statusCode?: number }) => {
      throw err.statusCode === 404 ? new Error(`ddClient ${at}: no ${check.kind.slice(0, -1)} "${id}" on the Docker engine`) : err;
    });
  }
  showToast('info', `Docker Desktop would open: ${where.join(' › ')}`);
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
    return Promise.reject(new TypeError(`ddClient ${at}: only http and https URLs can be opened, not "${text}"`));
  }
  window.open(parsed.href, '_blank', 'noopener,noreferrer');
  return Promise.resolve();
}

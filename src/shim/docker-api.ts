import { checkObject, checkString, typeError } from './args.js';
import type { Transport } from './transport.js';

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

import { DEFAULT_GATEWAY_URL, type GatewayInfo, type ServedConfig } from '../protocol.js';

export interface ShimConfig {
  gateway: string;
  token?: string | undefined;
  /** Host info the gateway baked into the script it served, when it did. */
  info?: GatewayInfo | undefined;
}

export interface ConfigSources {
  /** `install({gateway, token})`. */
  options?: { gateway?: string | undefined; token?: string | undefined } | undefined;
  /** The `<script>` element the shim came from (`data-gateway`, `data-token`). */
  script?: { dataset: DOMStringMap } | null | undefined;
  /** The page's query string (`?ddGateway=`). */
  search?: string | undefined;
  /** What the gateway baked into the script it served. */
  served?: ServedConfig | undefined;
}

/**
 * Where the gateway is, first match wins (issue 2): `install()` options, the
 * script tag's `data-gateway`, the page's `?ddGateway=`, the gateway that
 * served the script, then {@link DEFAULT_GATEWAY_URL}. The token is never
 * read from a URL: secrets stay out of URLs (DESIGN.md).
 */
export function resolveConfig(src: ConfigSources): ShimConfig {
  const fromPage = src.search === undefined ? null : new URLSearchParams(src.search).get('ddGateway');
  const gateway = src.options?.gateway ?? src.script?.dataset.gateway ?? fromPage ?? src.served?.gateway ?? DEFAULT_GATEWAY_URL;
  const token = src.options?.token ?? src.script?.dataset.token;
  // Baked info describes the gateway that served it: only trust it when that is the one we use.
  const info = src.served !== undefined && src.served.gateway === gateway ? src.served.info : undefined;
  return { gateway, token, info };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_HEADER, TOKEN_HEADER } from '../protocol.js';
import { GatewayError } from './errors.js';

/** Names that always mean this machine. Matched exactly, never as a prefix (DNS rebinding). */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name);
}

export interface Guard {
  /** Throws 403 unless the request may reach the gateway at all: its Host, then its Origin. */
  checkRequest(req: IncomingMessage): void;
  /** Throws unless an API call carries the client header and, when one is set, the token. */
  checkApiCall(req: IncomingMessage): void;
  /** Whether a page of this origin may read our responses (and so gets CORS headers). */
  isAllowedOrigin(origin: string): boolean;
  /** Sets the CORS headers an allowed origin gets; nothing for anyone else. */
  setCors(req: IncomingMessage, res: ServerResponse): void;
  /** A `Content-Security-Policy` value that lets only allowed origins frame a page we serve. */
  readonly frameAncestors: string;
}

/**
 * The gateway's front door (DESIGN.md, Security model; docs/security.md):
 * - `Host` must be a loopback name (or the bind address) with our port: a
 *   rebinding page's requests carry its own name and are refused;
 * - a present `Origin` must be a loopback origin or one given exactly with
 *   `--allow-origin`; `null` is never allowed;
 * - every API call carries {@link CLIENT_HEADER}, which no form or simple
 *   cross-site request can send, and the token when one is configured.
 */
export function createGuard(opts: { port: () => number; bindHost: string; allowOrigins: readonly string[]; token?: string | undefined }): Guard {
  const exactOrigins = new Set(opts.allowOrigins.map(normaliseOrigin));
  const tokenDigest = opts.token === undefined ? undefined : digest(opts.token);

  const isAllowedOrigin = (origin: string): boolean => {
    if (exactOrigins.has(origin)) return true;
    const url = parseOrigin(origin);
    return url !== undefined && url.protocol === 'http:' && isLoopbackName(url.hostname);
  };

  return {
    checkRequest(req) {
      // Node keeps the first of two Host lines: refuse the message instead (RFC 9112 §3.2), so no
      // intermediary and no gateway can disagree on which name was asked for.
      if (countHeader(req.rawHeaders, 'host') > 1) throw new GatewayError(400, 'bad-request', 'refused: a request with more than one Host header');
      const host = req.headers.host ?? '';
      const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
      const name = match?.[1]?.toLowerCase() ?? '';
      const knownName = isLoopbackName(name) || name === opts.bindHost;
      if (!knownName || Number(match?.[2] ?? 80) !== opts.port()) {
        throw new GatewayError(403, 'forbidden', `refused: Host "${host}" is not this gateway (expected a loopback name with port ${opts.port()})`);
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !isAllowedOrigin(origin)) {
        throw new GatewayError(403, 'forbidden', `refused: Origin "${origin}" is not allowed (add it with --allow-origin ${origin})`);
      }
    },

    checkApiCall(req) {
      if (req.headers[CLIENT_HEADER] === undefined) {
        throw new GatewayError(403, 'forbidden', `refused: API calls must carry the ${CLIENT_HEADER} header (the shim sends it)`);
      }
      if (tokenDigest === undefined) return;
      const given = req.headers[TOKEN_HEADER];
      // Both sides hashed to one length first, so the comparison's time says nothing about the token.
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), tokenDigest)) {
        throw new GatewayError(401, 'forbidden', `refused: missing or wrong ${TOKEN_HEADER} (give the shim the gateway's --token)`);
      }
    },

    isAllowedOrigin,

    // CSP source expressions have no IPv6 literals: a page at http://[::1]:* cannot frame the UI.
    frameAncestors: ["frame-ancestors 'self'", 'http://localhost:*', 'http://127.0.0.1:*', ...exactOrigins].join(' '),

    setCors(req, res) {
      const origin = req.headers.origin;
      if (origin === undefined || !isAllowedOrigin(origin)) return;
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-expose-headers', '*');
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
        const asked = req.headers['access-control-request-headers'];
        if (asked) res.setHeader('access-control-allow-headers', asked);
        // Chrome's Private Network Access preflight: a loopback page may call a loopback gateway.
        if (req.headers['access-control-request-private-network']) res.setHeader('access-control-allow-private-network', 'true');
        res.setHeader('access-control-max-age', '600');
      }
    },
  };
}

function countHeader(rawHeaders: readonly string[], name: string): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === name) n++;
  return n;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function parseOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    // An origin is scheme://host[:port] and nothing else: "http://evil.example/localhost" is not one.
    return url.origin === origin ? url : undefined;
  } catch {
    return undefined;
  }
}

function normaliseOrigin(origin: string): string {
  const url = parseOrigin(origin.replace(/\/$/, ''));
  if (url === undefined) throw new TypeError(`--allow-origin "${origin}" is not an origin (scheme://host[:port], e.g. http://localhost:5173)`);
  return url.origin;
}

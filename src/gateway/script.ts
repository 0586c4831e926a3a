import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHUNK_PATHS, SCRIPT_PATH, SERVED_CONFIG_GLOBAL, type GatewayInfo, type ServedConfig } from '../protocol.js';
import { GatewayError } from './errors.js';

/** Where `npm run build` writes the script-tag bundle, from src/gateway/ (tests) or dist/ (the CLI). */
export function defaultScriptFile(): string {
  // Strings, not URL objects: under a DOM test environment the global URL is not Node's.
  const here = dirname(fileURLToPath(import.meta.url));
  return basename(here) === 'dist' ? join(here, 'ddclient-shim.js') : join(here, '..', '..', 'dist', 'ddclient-shim.js');
}

/**
 * Serves the script-tag shim with this gateway's URL and host info baked in,
 * so one `<script src>` line is all a page needs (issue 2). The config goes on
 * a line of its own in front of the bundle, so the source map is served with
 * one empty line prepended to stay true. Never a secret: the token is not baked.
 *
 * Host info is only baked for a page we know we would answer: an allowed
 * Referer, or a same-origin or non-browser request. A foreign Referer gets 403;
 * a cross-site load without a Referer gets the script without host info (the
 * shim then asks `info` itself, which CORS lets only allowed pages read) —
 * issue 7, "<script src> of the served shim reads nothing".
 *
 * Also serves the files the shim loads on first use (CHUNK_PATHS: its in-page
 * UI, its spawn code; issue 8), from next to `file`, as they are: the shim
 * loads them from here when it cannot from next to itself.
 */
export function createScriptRoute(opts: { file: string; info: () => GatewayInfo; isAllowedOrigin: (origin: string) => boolean }) {
  const chunkFile = (path: string): string => join(dirname(opts.file), basename(path));
  const load = async (path: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new GatewayError(500, 'internal', `the shim script ${path} is missing: run \`npm run build\` in ddclient-shim first`, { cause: err });
    }
  };

  // Every request asks this first (server.ts): one Set, built once.
  const served = new Set([SCRIPT_PATH, ...CHUNK_PATHS].flatMap((p) => [p, `${p}.map`]));
  /** Whether `pathname` is one this route serves: the script, a chunk, or a source map of one. */
  const serves = (pathname: string): boolean => served.has(pathname);

  async function serveScript(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const referer = req.headers.referer;
    if (referer !== undefined && !opts.isAllowedOrigin(safeOrigin(referer))) {
      throw new GatewayError(403, 'forbidden', `refused: the shim script is only served to allowed origins, not to ${safeOrigin(referer)}`);
    }
    const map = pathname.endsWith('.map');
    const chunk = CHUNK_PATHS.find((p) => pathname.startsWith(p));
    let body: string;
    if (chunk !== undefined) {
      body = await load(`${chunkFile(chunk)}${map ? '.map' : ''}`);
    } else if (map) {
      const sourceMap = JSON.parse(await load(`${opts.file}.map`)) as { mappings: string };
      sourceMap.mappings = `;${sourceMap.mappings}`;
      body = JSON.stringify(sourceMap);
    } else {
      const site = req.headers['sec-fetch-site'];
      const known = referer !== undefined || site === undefined || site === 'same-origin' || site === 'none';
      const config: ServedConfig = { gateway: `http://${req.headers.host}`, ...(known ? { info: opts.info() } : {}) };
      body = `globalThis.${SERVED_CONFIG_GLOBAL}=${JSON.stringify(config).replace(/</g, '\\u003c')};\n${await load(opts.file)}`;
    }
    res.writeHead(200, {
      'content-type': map ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-cache',
      // A classic script from another port is cross-origin: let pages load it.
      'cross-origin-resource-policy': 'cross-origin',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return { serves, serveScript };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

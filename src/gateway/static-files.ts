import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GatewayError } from './errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Serves the extension's UI folder (`--ui`) at `/`, so the page and the
 * gateway share one origin. GET and HEAD only; nothing outside the folder,
 * symlinks included; `/` and folders serve their index.html.
 */
export function createStaticRoute(dir: string) {
  const root = realpath(dir);
  return async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new GatewayError(405, 'bad-request', `${req.method} ${pathname}: the UI folder is served with GET and HEAD only`);
    }
    const base = await root;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      throw new GatewayError(400, 'bad-request', `"${pathname}" is not valid percent-encoding`);
    }
    let file = join(base, decoded);
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    const real = info?.isFile() ? await realpath(file) : undefined;
    if (real === undefined || !real.startsWith(base + sep) || decoded.includes('\0')) {
      throw new GatewayError(404, 'not-found', `${pathname} is not in the UI folder`);
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(real)] ?? 'application/octet-stream',
      'content-length': info!.size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(real), res).catch((err: NodeJS.ErrnoException) => {
      // A client that hung up after the last byte is not an error of ours.
      if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
    });
  };
}

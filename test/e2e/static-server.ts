import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/**
 * A plain static file server on its own loopback port: a page's origin that is
 * not the gateway's (another dev server, Docker Desktop's own page host, a
 * built Storybook). `files` are served first, then `dir`, bytes as they are;
 * a path ending in `/` serves its index.html; anything else is a 404.
 */
export async function startStaticServer(opts: { files?: Record<string, string>; dir?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const name = path.endsWith('/') ? `${path}index.html` : path;
    let body: string | Buffer | undefined = opts.files?.[name];
    if (body === undefined && opts.dir !== undefined && !normalize(name).includes('..')) body = await readFile(join(opts.dir, name)).catch(() => undefined);
    if (body === undefined) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

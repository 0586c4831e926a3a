// The extension backend of the service-call benchmark: a small JSON GET, as an
// extension's `/items` would answer it. Its own process (bench/lib/child.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { READY } from '../lib/ready.js';

const body = JSON.stringify({
  items: [
    { id: 1, name: 'alpha', status: 'running', ports: [8080] },
    { id: 2, name: 'beta', status: 'exited', ports: [] },
    { id: 3, name: 'gamma', status: 'running', ports: [5432, 5433] },
  ],
});
const length = String(Buffer.byteLength(body));

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${READY}${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bytes: Number(length) })}\n`);
});
process.on('SIGTERM', () => process.exit(0));

// The comparison forwarder of the service-call benchmark: http-proxy 1.18, the
// one most Node dev servers were built on, forwarding everything to the backend
// with a keep-alive agent, as the gateway keeps its connections to the backend.
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import httpProxy from 'http-proxy';
import { READY } from '../lib/ready.js';

const { target } = JSON.parse(process.argv[2] ?? '{}') as { target: string };
const proxy = httpProxy.createProxyServer({ target, agent: new Agent({ keepAlive: true }) });
proxy.on('error', (_err, _req, res) => {
  if ('writeHead' in res && !res.headersSent) res.writeHead(502);
  res.end();
});

const server = createServer((req, res) => proxy.web(req, res));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${READY}${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => process.exit(0));

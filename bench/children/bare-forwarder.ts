// The floor of the service-call benchmark: the least a node:http forwarder can
// do — pass method, path and headers to the backend over a keep-alive agent and
// pipe the answer back — with none of the gateway's checks, filtering, timeouts
// or error handling. What the gateway costs beyond it is the gateway's own;
// what it costs itself is node:http's, and bounds any forwarder built on it.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { READY } from '../lib/ready.js';

const { target } = JSON.parse(process.argv[2] ?? '{}') as { target: string };
const { hostname, port } = new URL(target);
const agent = new Agent({ keepAlive: true });

const server = createServer((req, res) => {
  request({ host: hostname, port, agent, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  }).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${READY}${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => process.exit(0));

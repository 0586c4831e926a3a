// The hello extension's backend: a tiny JSON API on a unix socket, the way
// Docker Desktop extensions expose theirs (metadata.json: vm.exposes.socket).
// Plain Node, no dependencies, so the same file runs in the extension's image
// and under `npm start`.
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';

// Docker Desktop forwards ddClient.backend calls to /run/guest-services/<socket>.
const socketPath = process.env.SOCKET_PATH || '/run/guest-services/hello.sock';

let nextId = 3;
const items = new Map([
  [1, { id: 1, name: 'Write a Docker Desktop extension', done: true }],
  [2, { id: 2, name: 'Open its UI in a plain browser', done: false }],
]);

const send = (res, status, body) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(res.req.method === 'HEAD' ? undefined : text);
};

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw Object.assign(new Error('the body is not JSON'), { status: 400 });
  }
}

/** Only the fields an item has, with their types checked. */
function itemFields(body, { partial }) {
  const out = {};
  if (typeof body !== 'object' || body === null) throw Object.assign(new Error('send a JSON object'), { status: 400 });
  if (body.name !== undefined || !partial) {
    if (typeof body.name !== 'string' || body.name.trim() === '') throw Object.assign(new Error('"name" must be a non-empty string'), { status: 400 });
    out.name = body.name;
  }
  if (body.done !== undefined || !partial) out.done = body.done === true;
  return out;
}

async function route(req, res) {
  const url = new URL(req.url ?? '/', 'http://backend');
  // HEAD is GET without the body (send() leaves it out).
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const id = /^\/items\/(\d+)$/.exec(url.pathname)?.[1];

  if (url.pathname === '/items' && method === 'GET') return send(res, 200, [...items.values()]);
  if (url.pathname === '/items' && method === 'POST') {
    const item = { id: nextId++, ...itemFields(await readJson(req), { partial: false }) };
    items.set(item.id, item);
    return send(res, 201, item);
  }
  if (id !== undefined) {
    const item = items.get(Number(id));
    if (item === undefined) return send(res, 404, { message: `no item ${id}` });
    if (method === 'GET') return send(res, 200, item);
    if (method === 'PUT' || method === 'PATCH') {
      const updated = { id: item.id, ...(method === 'PATCH' ? item : {}), ...itemFields(await readJson(req), { partial: method === 'PATCH' }) };
      items.set(item.id, updated);
      return send(res, 200, updated);
    }
    if (method === 'DELETE') {
      items.delete(item.id);
      return send(res, 200, { deleted: item.id });
    }
  }
  if (url.pathname === '/error' && method === 'GET') return send(res, 500, { message: 'something went wrong in the backend (on purpose)' });
  if (url.pathname === '/slow' && method === 'GET') {
    const ms = Math.min(Math.max(Number(url.searchParams.get('ms')) || 0, 0), 30_000);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return send(res, 200, { waitedMs: ms, requestedBy: req.headers['x-requested-by'] ?? null });
  }
  return send(res, 404, { message: `no route ${method} ${url.pathname}` });
}

const server = createServer((req, res) => {
  route(req, res).catch((err) => send(res, err.status ?? 500, { message: err.message }));
});

// A socket file left by a crashed run would make listen() fail with EADDRINUSE.
rmSync(socketPath, { force: true });
server.listen(socketPath, () => console.log(`hello backend listening on ${socketPath}`));

// Docker stops the container with SIGTERM; a terminal sends SIGINT. Closing the
// server removes the socket file, so nothing is left behind.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

#!/usr/bin/env node
// `npm start` (issue 4): the example extension in a plain browser. Starts the
// example backend on a unix socket in a temp dir, starts the gateway pointed at
// it and serving the example UI, prints the URL to open. Ctrl-C stops both and
// leaves no process or socket file behind.
//
//   node scripts/start.mjs [--port <n>] [--vm-container <name>]
//
// --port defaults to 7777, or a free port when 7777 is taken; --vm-container to
// ddshim-vm, the container scripts/docker-engine.sh starts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const example = join(repo, 'examples/hello-extension');
const cli = join(repo, 'dist/cli.js');

const { values: args } = parseArgs({ options: { port: { type: 'string' }, 'vm-container': { type: 'string' } } });
const vmContainer = args['vm-container'] ?? 'ddshim-vm';

if (!existsSync(cli)) fail(`${cli} is missing: run \`npm run build\` first (\`npm start\` does).`);

const dir = mkdtempSync(join(tmpdir(), 'ddshim-start-'));
const socket = join(dir, 'hello.sock');
/** @type {Map<string, import('node:child_process').ChildProcess>} */
const children = new Map();
let stopping = false;

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));

try {
  const engine = await findEngine();
  const env = { ...process.env, ...(engine.host ? { DOCKER_HOST: engine.host } : {}) };

  await start('backend', [join(example, 'backend/server.mjs')], { ...process.env, SOCKET_PATH: socket }, /listening on/);
  const port = args.port ?? ((await isFree(7777)) ? '7777' : '0');
  // The node flags the installed command has in its shebang (src/gateway/node-flags.ts).
  const nodeFlags = readFileSync(cli, 'utf8').split('\n', 1)[0].split(' ').filter((arg) => arg.startsWith('--'));
  const gatewayArgs = [...nodeFlags, cli, 'gateway', '--port', port, '--backend', `unix:${socket}`, '--ui', join(example, 'ui'), '--vm-container', vmContainer];
  const [, url] = await start('gateway', gatewayArgs, env, /listening on (http:\/\/\S+)/);

  console.log(
    [
      '',
      `  Open ${url}/`,
      '',
      `  backend   ${socket}`,
      `  engine    ${engine.status}`,
      `  processes backend ${children.get('backend')?.pid}, gateway ${children.get('gateway')?.pid}; Ctrl-C stops them`,
      '',
    ].join('\n'),
  );
} catch (err) {
  console.error(`start: ${err.message}`);
  await stop(1);
}

/**
 * Starts a child and resolves with the match of `ready` on its stdout. Each
 * child gets its own process group (detached): a terminal's Ctrl-C reaches only
 * us, and we stop each child exactly once, so the gateway gets to end the
 * processes it runs in containers before it exits.
 */
function start(name, argv, env, ready) {
  const child = spawn(process.execPath, argv, { env, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  children.set(name, child);
  let started = false;
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.setEncoding('utf8').on('data', (text) => {
      if (started) return; // later output is not ours to show
      const match = ready.exec((seen += text));
      if (match) {
        started = true;
        resolve(match);
      }
    });
    child.once('exit', (code, signal) => {
      children.delete(name);
      if (!started) return reject(new Error(`the ${name} exited before it was ready (${signal ?? `code ${code}`})`));
      if (!stopping) {
        console.error(`start: the ${name} exited (${signal ?? `code ${code}`}); stopping`);
        void stop(1);
      }
    });
  });
}

/** Stops every child (SIGTERM, then SIGKILL after 5 s), removes the temp dir, exits. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
          child.once('exit', () => resolve(clearTimeout(force)));
          child.kill('SIGTERM');
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
  if (code === 0) console.log('stopped: backend and gateway are gone');
  process.exit(code);
}

/**
 * The Docker engine the gateway should use: DOCKER_HOST, else the private
 * engine of scripts/docker-engine.sh when it answers. With neither, the
 * gateway falls back to the docker context, and the page says when that fails.
 */
async function findEngine() {
  const own = join(repo, '.docker/docker.sock');
  const host = process.env.DOCKER_HOST || (existsSync(own) && (await engineGet(`unix://${own}`, '/_ping')) ? `unix://${own}` : undefined);
  const hint = 'start one with `scripts/docker-engine.sh up`, then `npm start` again';
  if (host === undefined) return { host, status: `none found (no DOCKER_HOST, no ${own}): exec and spawn will say so on the page; ${hint}` };
  if ((await engineGet(host, '/_ping')) === undefined) return { host, status: `${host} is not answering: exec and spawn will say so on the page; ${hint}` };
  const inspect = await engineGet(host, `/containers/${encodeURIComponent(vmContainer)}/json`);
  const running = inspect !== undefined && JSON.parse(inspect).State?.Running === true;
  return { host, status: `${host}, backend container ${vmContainer}${running ? '' : ` (not running: ${hint}, or pass --vm-container <name>)`}` };
}

/** GET on the engine's API over unix:// or tcp://; the body when it answers 2xx, else undefined. */
function engineGet(host, path) {
  const target = host.startsWith('unix://') ? { socketPath: host.slice('unix://'.length) } : host.startsWith('tcp://') ? { host: new URL(host).hostname, port: new URL(host).port } : undefined;
  if (target === undefined) return Promise.resolve(undefined); // ssh:// and the like: the gateway knows how, we do not check
  return new Promise((resolve) => {
    const req = request({ ...target, path, timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode >= 200 && res.statusCode < 300 ? body : undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

function isFree(port) {
  return new Promise((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function fail(message) {
  console.error(`start: ${message}`);
  process.exit(1);
}

// The hello extension's UI: plain JavaScript, no build step. It talks to Docker
// Desktop only through window.ddClient, so it runs unchanged inside Docker
// Desktop and in a browser page that loads ddclient-shim.
//
// Each demo below is one ddClient.backend call, shown in its own card with a
// stable data-testid: `<id>` on the card (data-status: running | ok | error |
// no-engine), `<id>-status` on its badge and `<id>-value` on its result.

const ddClient = window.ddClient;
const backend = ddClient?.backend;

// execInContainer's target: ?container=<name>, else this extension's own
// backend container (a container's hostname is its short id, which exec takes).
const containerParam = new URLSearchParams(location.search).get('container');
let containerName = containerParam;

/** The item the HTTP demos create, update and delete. */
let item;
const ensureItem = async () => (item ??= await backend.post('/items', { name: 'Try the extension in a browser' }));

const http = [
  { id: 'get', title: 'get', call: "get('/items')", about: 'Lists the items.', run: () => backend.get('/items') },
  {
    id: 'post', title: 'post', call: "post('/items', { name })", about: 'Creates an item from a JSON body.',
    run: async () => (item = await backend.post('/items', { name: 'Try the extension in a browser' })),
  },
  {
    id: 'put', title: 'put', call: "put('/items/:id', { name, done })", about: 'Replaces the item.',
    run: async () => (item = await backend.put(`/items/${(await ensureItem()).id}`, { name: 'Try it in Chromium too', done: false })),
  },
  {
    id: 'patch', title: 'patch', call: "patch('/items/:id', { done: true })", about: 'Updates one field.',
    run: async () => (item = await backend.patch(`/items/${(await ensureItem()).id}`, { done: true })),
  },
  {
    id: 'delete', title: 'delete', call: "delete('/items/:id')", about: 'Deletes the item.',
    run: async () => {
      const result = await backend.delete(`/items/${(await ensureItem()).id}`);
      item = undefined;
      return result;
    },
  },
  { id: 'head', title: 'head', call: "head('/items')", about: 'Headers only: resolves with the (empty) body.', run: () => backend.head('/items') },
  {
    id: 'request', title: 'request', call: "request({ url: '/slow?ms=300', method: 'GET', headers })", about: 'Any method, with headers; this route answers after 300 ms.',
    run: () => backend.request({ url: '/slow?ms=300', method: 'GET', headers: { 'X-Requested-By': 'hello-extension' } }),
  },
  {
    id: 'error', title: 'get → 500', call: "get('/error')", about: 'The backend answers 500: the call rejects with its statusCode.', expect: 'error',
    run: () => backend.get('/error'),
  },
];

const containers = [
  {
    id: 'exec-container', title: 'execInContainer', call: "execInContainer(container, 'uname -a')", about: 'Runs a command in a named container.',
    run: async () => backend.execInContainer(await targetContainer(), 'uname -a'),
  },
  {
    id: 'exec-fail', title: 'execInContainer → exit 3', call: `execInContainer(container, 'sh -c "echo hi; exit 3"')`, about: 'A non-zero exit rejects, with the output.', expect: 'error',
    run: async () => backend.execInContainer(await targetContainer(), 'sh -c "echo hi; exit 3"'),
  },
  {
    id: 'exec-vm', title: 'execInVMExtension', call: "execInVMExtension('ls /')", about: "Runs a command in this extension's backend container.",
    run: async () => (await backend.execInVMExtension('ls /')).lines().filter(Boolean).join(' '),
  },
  {
    id: 'spawn', title: 'spawnInVMExtension', call: "spawnInVMExtension('sh', ['-c', 'for i in 1 2 3; …'], callback)",
    about: 'Streams a process from the backend container: each line shows up as it is printed.',
    run: (card) => spawnDemo(card),
  },
];

/** Looked up once, by whichever demo asks first; a failed lookup is retried next run. */
let lookup;
function targetContainer() {
  if (containerName) return Promise.resolve(containerName);
  lookup ??= backend.execInVMExtension('hostname').then(
    (result) => {
      containerName = result.stdout.trim();
      showContainerNote();
      return containerName;
    },
    (err) => {
      lookup = undefined;
      throw err;
    },
  );
  return lookup;
}

function showContainerNote() {
  const note = document.getElementById('container-note');
  note.textContent = containerParam
    ? `execInContainer runs in "${containerName}" (from ?container=).`
    : `execInContainer runs in this extension's backend container${containerName ? ` (${containerName})` : ''}; pick another with ?container=<name>.`;
}

/** spawnInVMExtension returns nothing: everything arrives through the callback. */
function spawnDemo(card) {
  const out = card.value;
  out.textContent = '';
  return new Promise((resolve, reject) => {
    backend.spawnInVMExtension('sh', ['-c', 'for i in 1 2 3; do echo "tick $i"; sleep 0.5; done'], (data, error) => {
      if (error) return reject(error);
      if (data.stdout !== undefined) out.append(data.stdout);
      if (data.stderr !== undefined) out.append(Object.assign(document.createElement('span'), { className: 'stderr', textContent: data.stderr }));
      if (data.close) {
        out.append(`(exited with code ${data.code})`);
        (data.code === 0 ? resolve : reject)({ live: true, code: data.code });
      }
    });
  });
}

/** Builds a card; returns it with the elements a demo writes to. */
function makeCard(parent, demo) {
  const card = document.createElement('section');
  card.className = 'card';
  card.dataset.testid = demo.id;
  if (demo.expect) card.dataset.expect = demo.expect;
  card.innerHTML = `<header><h3></h3><span class="badge"></span><button type="button">Run</button></header><code class="call"></code><p></p><pre></pre>`;
  card.querySelector('h3').textContent = demo.title;
  card.querySelector('code').textContent = `ddClient.backend.${demo.call}`;
  card.querySelector('p').textContent = demo.about;
  const badge = card.querySelector('.badge');
  badge.dataset.testid = `${demo.id}-status`;
  const value = card.querySelector('pre');
  value.dataset.testid = `${demo.id}-value`;
  card.querySelector('button').addEventListener('click', () => void runDemo(demo));
  parent.append(card);
  return Object.assign(demo, { card, badge, value });
}

function setStatus(demo, status, text) {
  demo.card.dataset.status = status;
  demo.badge.textContent = text;
}

async function runDemo(demo) {
  setStatus(demo, 'running', 'running…');
  if (demo.id !== 'spawn') demo.value.textContent = '';
  try {
    const result = await demo.run(demo);
    setStatus(demo, 'ok', 'ok');
    if (demo.id !== 'spawn') demo.value.textContent = show(result);
  } catch (err) {
    if (isNoEngine(err)) {
      setStatus(demo, 'no-engine', 'no engine');
      demo.value.textContent = `No Docker engine is reachable, so this command did not run.\n${err.message}`;
    } else if (err?.live) {
      setStatus(demo, 'error', `exit ${err.code}`);
    } else {
      setStatus(demo, 'error', demo.expect === 'error' ? 'rejected' : 'error');
      demo.value.textContent = describeError(err);
    }
  }
}

/** A result as text: JSON for data, the fields that matter for an exec result. */
function show(value) {
  if (value === '') return '(empty body)';
  if (typeof value === 'string') return value;
  if (value && typeof value.stdout === 'string') return `exit code ${value.code}\nstdout: ${value.stdout}${value.stderr ? `\nstderr: ${value.stderr}` : ''}`;
  // One line per array entry: a list of items stays readable in a small card.
  if (Array.isArray(value)) return `[\n${value.map((v) => `  ${JSON.stringify(v)}`).join(',\n')}\n]`;
  return JSON.stringify(value);
}

/**
 * What Docker Desktop rejects with: a ServiceError {name, message, statusCode}
 * whose message is the response body (here JSON with its own message), or an
 * exec result with a non-zero code.
 */
function describeError(err) {
  if (err && typeof err.statusCode === 'number' && typeof err.message === 'string') {
    let detail = err.message;
    try {
      detail = JSON.parse(err.message).message ?? detail;
    } catch {
      // not JSON: show the body as it is
    }
    return `statusCode ${err.statusCode}\nmessage: ${detail}`;
  }
  if (err && typeof err.stdout === 'string') {
    return `exit code ${err.code}\nstdout: ${err.stdout}${err.stderr ? `\nstderr: ${err.stderr}` : ''}`;
  }
  return String(err?.message ?? err);
}

/** The gateway outside Docker Desktop names this failure; inside Docker Desktop there is always an engine. */
const isNoEngine = (err) => err?.code === 'engine-unreachable';

async function runAll() {
  document.body.dataset.ready = 'false';
  showContainerNote();
  // The HTTP demos share one item, so they run in order; the container demos meanwhile.
  const httpRun = (async () => {
    for (const demo of http) await runDemo(demo);
  })();
  const containerRun = Promise.all(containers.map(runDemo));
  await Promise.all([httpRun, containerRun]);
  document.body.dataset.ready = 'true';
}

const status = document.getElementById('client-status');
if (backend === undefined) {
  status.className = 'client missing';
  status.textContent = 'window.ddClient is not here: open this extension in Docker Desktop (or in a page that provides ddClient).';
} else {
  const host = ddClient.host;
  status.innerHTML = 'Connected to <code>window.ddClient</code>';
  if (host) status.append(` · host ${host.platform}/${host.arch} (${host.hostname})`);
  for (const demo of http) makeCard(document.getElementById('http'), demo);
  for (const demo of containers) makeCard(document.getElementById('containers'), demo);
  document.getElementById('run-all').addEventListener('click', () => void runAll());
  void runAll();
}

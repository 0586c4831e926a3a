import { it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createEngine } from '../../src/gateway/engine/index.js';
const pexec = promisify(execFile);
const stats = (a: number[]) => { a.sort((x, y) => x - y); const m = a.reduce((p, c) => p + c, 0) / a.length; return `median ${a[a.length >> 1]!.toFixed(1)} ms, mean ${m.toFixed(1)}, p10 ${a[3]!.toFixed(1)}, p90 ${a[27]!.toFixed(1)}`; };
it('bench', async () => {
  const env = { ...process.env, DOCKER_HOST: 'unix:///work/main/.docker/docker.sock' };
  const engine = createEngine({ host: env.DOCKER_HOST });
  for (let round = 0; round < 2; round++) {
    const cli: number[] = [], api: number[] = [], sp: number[] = [];
    for (let i = 0; i < 33; i++) { const t = performance.now(); await pexec('docker', ['exec', 'ddshim-c', 'true'], { env }); if (i >= 3) cli.push(performance.now() - t); }
    for (let i = 0; i < 33; i++) { const t = performance.now(); await engine.exec({ container: 'ddshim-c', argv: ['true'] }); if (i >= 3) api.push(performance.now() - t); }
    for (let i = 0; i < 33; i++) { const t = performance.now(); const p = await engine.spawn({ container: 'ddshim-c', argv: ['true'] }); p.output.resume(); await p.exited; if (i >= 3) sp.push(performance.now() - t); }
    console.log(`CLI  docker exec ddshim-c true: ${stats(cli)}\nengine.exec (create+start+inspect): ${stats(api)}\nengine.spawn+exited: ${stats(sp)}`);
  }
  await engine.close();
}, 120000);

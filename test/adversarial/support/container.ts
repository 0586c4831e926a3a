// A container of the suite's own for its heavy runs (100 tickers, 200 MB of
// output), so the `ps` checks of the other suites, which share the engine's
// test containers, never see these processes, and the reverse.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dockerHost } from '../../helpers/docker.js';

const run = promisify(execFile);

export async function startThrowawayContainer(label: string): Promise<{ name: string; remove(): Promise<void> }> {
  const name = `ddshim-adv-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const docker = (...args: string[]) => run('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost() } });
  // Like scripts/docker-engine.sh's: no network, and sleep as PID 1 stops with KILL at once.
  await docker('run', '-d', '--name', name, '--network', 'none', '--stop-signal', 'KILL', 'ddshim-test:latest', 'sleep', '2147483647');
  return {
    name,
    remove: async () => void (await docker('rm', '-f', name).catch(() => undefined)),
  };
}

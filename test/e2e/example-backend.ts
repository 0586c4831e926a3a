import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/hello-extension/', import.meta.url));
export const EXAMPLE_UI = join(EXAMPLE_DIR, 'ui');

/**
 * The example extension's real backend (examples/hello-extension/backend), as
 * its own process on a unix socket in a temp dir: what `--backend` gets.
 */
export async function startExampleBackend(): Promise<{ target: string; socket: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ddshim-e2e-'));
  const socket = join(dir, 'hello.sock');
  const child = spawn(process.execPath, [join(EXAMPLE_DIR, 'backend/server.mjs')], {
    env: { ...process.env, SOCKET_PATH: socket },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => text.includes('listening on') && resolve());
    child.once('exit', (code) => reject(new Error(`the example backend exited with ${code} before listening`)));
  });
  return {
    target: `unix:${socket}`,
    socket,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

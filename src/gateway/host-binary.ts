import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { GatewayError } from './errors.js';

/**
 * The path of a binary from the extension's `host` folder (`--host-dir`),
 * and nothing outside it (issue 5, issue 7 item 9): a bare name only — no
 * `/`, `\` or `..` — and its real path, symlinks resolved, must still be in
 * the folder.
 */
export async function resolveHostBinary(hostDir: string | undefined, name: string): Promise<string> {
  if (hostDir === undefined) {
    throw new GatewayError(400, 'no-host-dir', "this call runs a binary from the extension's host folder, but the gateway has none: start it with --host-dir <dir>");
  }
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new GatewayError(403, 'forbidden', `refused host binary "${name}": give the bare name of a file in the extension's host folder`);
  }
  const root = await realpath(hostDir);
  const real = await realpath(join(root, name)).catch(() => undefined);
  if (real === undefined || !(await stat(real)).isFile()) {
    throw new GatewayError(404, 'command-not-found', `no binary "${name}" in the extension's host folder ${root}`);
  }
  if (!real.startsWith(root + sep)) {
    throw new GatewayError(403, 'forbidden', `refused host binary "${name}": it resolves to ${real}, outside the extension's host folder`);
  }
  return real;
}

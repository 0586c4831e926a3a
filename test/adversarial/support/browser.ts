// Chromium for the cross-site tests, with `evil.example` resolving to 127.0.0.1:
// a page at http://evil.example:<port>/ is then a real foreign origin (what an
// attack looks like), served by a local server, and in the same IP address
// space as the gateway, so Chromium's Private Network Access checks do not
// apply and cannot make a test pass for the wrong reason (each suite also
// runs a control: the same page against a gateway that allows its origin).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../helpers/chromium.js';

/** test/helpers/chromium.ts's flags, plus the name the attacker's pages live at. */
export const EVIL = 'evil.example';

export function launchWithEvilName(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${EVIL} 127.0.0.1`] });
}

/** A plain HTTP server on loopback answering with `handler`; its URLs are to be used as http://evil.example:<port>/. */
export async function startSite(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; origin: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://${EVIL}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

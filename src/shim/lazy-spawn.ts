import { SPAWN_SCRIPT_PATH } from '../protocol.js';
import { lazyChunk } from './chunk.js';
import type { SpawnChannel, SpawnChannelFactory } from './spawn-channel.js';
import type { SpawnHandle } from './transport.js';

/**
 * The spawn channel for the script-tag build: the real one (spawn-channel.ts,
 * its SSE reader and parser) is the ES module dist/ddclient-shim-spawn.js,
 * imported from next to `base` on a page's first streamed exec or spawn
 * (chunk.ts). Only those use it, and it is a third of the shim's own code
 * (issue 8's size budget).
 *
 * What a caller sees does not change (DDCLIENT-SEMANTICS §2.3): `start`
 * returns its handle at once, and spawns asked for while the module loads
 * start in order once it has. One asked for while it loads and then
 *  - closed: never starts; its listener gets the exit a stopped process gives
 *    (no code, SIGTERM), so `onClose` still comes;
 *  - left behind by `pagehide`: never starts, and nothing is reported (as the
 *    real channel reports nothing for the spawns it stops then);
 *  - when the module cannot load: never starts; its listener gets the error
 *    naming the file and where it was looked for. Nothing is retried.
 */
export function lazySpawnChannel(base: string): SpawnChannelFactory {
  const load = lazyChunk<{ createSpawnChannel: SpawnChannelFactory }>(base, SPAWN_SCRIPT_PATH, 'streamed processes');
  return (opts) => {
    let channel: SpawnChannel | undefined;
    /** Spawns asked for before the module loaded, each by the function that ends its wait. */
    const waiting = new Set<() => boolean>();
    if (typeof addEventListener === 'function') addEventListener('pagehide', () => waiting.forEach((dequeue) => dequeue()));
    return {
      start(req, listener) {
        if (channel) return channel.start(req, listener);
        let handle: SpawnHandle | undefined;
        const dequeue = (): boolean => waiting.delete(dequeue);
        waiting.add(dequeue);
        load().then(
          (chunk) => {
            channel ??= chunk.createSpawnChannel(opts);
            if (dequeue()) handle = channel.start(req, listener);
          },
          (err: Error) => dequeue() && listener.error(err),
        );
        return {
          close() {
            if (dequeue()) queueMicrotask(() => listener.exit(null, 'SIGTERM'));
            else handle?.close();
          },
        };
      },
    };
  };
}

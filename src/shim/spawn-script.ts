/**
 * The entry of dist/ddclient-shim-spawn.js, an ES module: the spawn code (the
 * spawn session's SSE stream and its parser), which the script-tag shim imports
 * on a page's first streamed exec or spawn (lazy-spawn.ts, issue 8).
 */
export { createSpawnChannel } from './spawn-channel.js';

/**
 * The offline script-tag entry (dist/ddclient-shim-offline.js): the same
 * `window.ddClient` with no gateway, for previews and tests (issue 6). It
 * answers from a recorded fixture — the tag's `data-replay="<url>"`, or the
 * page's `?ddReplay=<url>` — or from mock handlers a script before it put on
 * `window.ddShimMock`. Kept apart from dist/ddclient-shim.js, so mock and
 * replay cost the live script nothing; it carries no axios.
 */
import { logged } from './log-transport.js';
import { mount } from './mount.js';
import { createMockTransport, type MockHandlers } from './offline/mock.js';
import { createReplayTransport } from './offline/replay.js';
import { inPageUi } from './ui/index.js';

const script = document.currentScript as HTMLScriptElement | null;
const replay = script?.dataset.replay ?? new URLSearchParams(location.search).get('ddReplay');
const mock = (window as { ddShimMock?: MockHandlers }).ddShimMock;
const log = script?.dataset.log !== 'false';

if (replay) mount(logged(createReplayTransport(new URL(replay, location.href).href), log), { ui: inPageUi });
else if (mock) mount(logged(createMockTransport(mock), log), { ui: inPageUi });
else console.error('ddclient-shim-offline: nothing to answer from: give the script tag data-replay="<fixture url>", the page ?ddReplay=<fixture url>, or set window.ddShimMock before it.');

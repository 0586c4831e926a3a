/**
 * The entry of dist/ddclient-shim-ui.js: the in-page UI, which the script-tag
 * shim loads the first time a page toasts or opens a dialog (ui/lazy.ts).
 */
import { UI_GLOBAL } from '../../protocol.js';
import { inPageUi } from './index.js';

(globalThis as Record<string, unknown>)[UI_GLOBAL] = inPageUi;

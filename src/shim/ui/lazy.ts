import { UI_SCRIPT_PATH } from '../../protocol.js';
import { lazyChunk } from '../chunk.js';
import type { Ui } from './index.js';

/**
 * The in-page UI for the script-tag build: the ES module
 * dist/ddclient-shim-ui.js, imported from next to `base` (the shim's URL, or
 * the gateway's) the first time it is used (chunk.ts). It is over a third of
 * the shim's own code, and most pages never show a toast, a dialog or a
 * navigation notice (issue 8's size budget). Calls made while it loads run in
 * order once it has. If it cannot load, each toast is still logged, and a
 * dialog or navigation rejects saying what could not be loaded from where.
 */
export function lazyUi(base: string): Ui {
  const load = lazyChunk<Ui>(base, UI_SCRIPT_PATH, 'toasts and dialogs');
  return {
    toast: (kind, message) => void load().then((ui) => ui.toast(kind, message), (err: Error) => console.warn(`${err.message}; toast (${kind}): ${message}`)),
    openDialog: (options) => load().then((ui) => ui.openDialog(options)),
    navigate: (...args) => load().then((ui) => ui.navigate(...args)),
  };
}

import type { Ui } from './index.js';

/**
 * The in-page UI for the script-tag build, imported from `url` (an ES module,
 * dist/ddclient-shim-ui.js) the first time it is used: it is over a third of
 * the shim's own code, and most pages never show a toast, a dialog or a
 * navigation notice (issue 8's size budget). Calls made while it loads run in
 * order once it has. If it cannot load, each toast is still logged, and a
 * dialog or navigation rejects saying from where it could not.
 */
export function lazyUi(url: string): Ui {
  let loading: Promise<Ui> | undefined;
  const load = (): Promise<Ui> =>
    // A module import, not a <script>: it needs no global, and inherits this script's CSP nonce.
    (loading ??= (import(url) as Promise<Ui>).catch(() => {
      throw new Error(`ddclient-shim: could not load toasts and dialogs from ${url}`);
    }));
  return {
    toast: (kind, message) => void load().then((ui) => ui.toast(kind, message), (err: Error) => console.warn(`${err.message}; toast (${kind}): ${message}`)),
    openDialog: (options) => load().then((ui) => ui.openDialog(options)),
    navigate: (...args) => load().then((ui) => ui.navigate(...args)),
  };
}

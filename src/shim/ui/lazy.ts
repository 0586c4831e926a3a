import { UI_GLOBAL } from '../../protocol.js';
import type { Ui } from './index.js';

/**
 * The in-page UI for the script-tag build, loaded from `url` (a classic
 * `<script>`, so no CORS is needed, with the shim's CSP `nonce`) the first time
 * it is used. Toasts and the dialog are 2 KiB minified, over a third of the
 * shim's own code, and most pages never show one (issue 8's size budget).
 * Toasts shown while it loads show in order once it has. If it cannot load,
 * each toast is still logged, and a dialog rejects saying why.
 */
export function lazyUi(url: string, nonce = ''): Ui {
  let loading: Promise<Ui> | undefined;
  const load = (): Promise<Ui> =>
    (loading ??= new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.nonce = nonce;
      const failed = (): void => reject(new Error(`ddclient-shim: could not load its in-page UI (toasts, dialogs) from ${url}`));
      // Loaded but not ours (a page's 404 fallback, say) counts as not loaded.
      script.onload = () => {
        const ui = (globalThis as Record<string, unknown>)[UI_GLOBAL] as Ui | undefined;
        if (ui) resolve(ui);
        else failed();
      };
      script.onerror = failed;
      // <body> may not be there yet: a head script may toast.
      (document.head ?? document.documentElement).append(script);
    }));
  return {
    toast: (kind, message) => void load().then((ui) => ui.toast(kind, message), (err: Error) => console.warn(`${err.message}. The toast (${kind}): ${message}`)),
    openDialog: (options) => load().then((ui) => ui.openDialog(options)),
  };
}

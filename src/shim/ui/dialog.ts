import { h, mount } from './dom.js';

/** `desktopUI.dialog.showOpenDialog`'s result (Electron's `OpenDialogReturnValue`). */
export interface OpenDialogResult {
  canceled: boolean;
  filePaths: string[];
}

/**
 * An in-page stand-in for Docker Desktop's `desktopUI.dialog.showOpenDialog`
 * (Electron's open dialog, DDCLIENT-SEMANTICS §3). A browser cannot hand out
 * real paths, so the user types them: one field (one path per line with
 * `properties: ['multiSelections']`) prefilled with `defaultPath`, under
 * `title`, with Open (`buttonLabel`) and Cancel. Enter opens (in the one-line
 * field; the several-line one takes Enter as a new line), Escape cancels;
 * Open needs a path.
 *
 * Resolves `{canceled: false, filePaths}` (trimmed, empty lines dropped), or
 * `{canceled: true, filePaths: []}`. Options of the wrong type are ignored, as
 * Electron's defaults would be. A native modal `<dialog>`: in the top layer,
 * above whatever z-index the page uses. Test hooks:
 * `[data-ddshim-dialog=modal|field|open|cancel]`.
 */
export function showOpenDialog(options?: unknown): Promise<OpenDialogResult> {
  const o = (options ?? {}) as Record<string, unknown>;
  const str = (v: unknown, or: string): string => (typeof v === 'string' && v ? v : or);
  const props = Array.isArray(o.properties) ? o.properties : [];
  const multi = props.includes('multiSelections');
  const title = str(o.title, `Open ${props.includes('openDirectory') ? 'folder' : 'file'}`);
  const field = h(multi ? 'textarea' : 'input', 'display:block;box-sizing:border-box;width:100%;margin:12px 0;font:13px monospace', { 'data-ddshim-dialog': 'field', 'aria-label': title, required: '', rows: '4' });
  field.value = str(o.defaultPath, '');
  const cancel = h('button', 'margin-right:8px', { 'data-ddshim-dialog': 'cancel', type: 'button' }, 'Cancel');
  const form = h(
    'form',
    '',
    { method: 'dialog' },
    h('b', '', {}, title),
    h('p', '', {}, `A web page cannot see your files: type the full path${multi ? 's, one per line' : ''}.`),
    field,
    // Open is first: the form's default button, the one Enter presses.
    h('div', 'display:flex;flex-direction:row-reverse', {}, h('button', 'padding:4px 16px;border:0;border-radius:4px;background:#0055BD;color:#fff', { 'data-ddshim-dialog': 'open' }, str(o.buttonLabel, 'Open')), cancel),
  );
  const dialog = mount(h('dialog', 'width:min(480px,90vw);border:0;border-radius:4px;padding:20px;background:#fff;color:#17191E;font:14px system-ui,sans-serif', { 'data-ddshim-dialog': 'modal' }, form));
  let ok = false;
  form.onsubmit = () => (ok = true);
  cancel.onclick = () => dialog.close();
  dialog.showModal();
  field.focus();
  return new Promise((resolve) =>
    // Every way out (Open, Cancel, Escape) closes the dialog.
    dialog.addEventListener('close', () => {
      dialog.remove();
      const filePaths = ok ? field.value.split('\n').map((p) => p.trim()).filter(Boolean) : [];
      resolve({ canceled: !filePaths.length, filePaths });
    }),
  );
}

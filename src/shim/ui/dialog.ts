import { TOP, h, mount } from './dom.js';

/** `desktopUI.dialog.showOpenDialog`'s result (Electron's `OpenDialogReturnValue`). */
export interface OpenDialogResult {
  canceled: boolean;
  filePaths: string[];
}

/**
 * An in-page stand-in for Docker Desktop's `desktopUI.dialog.showOpenDialog`
 * (Electron's open dialog; DDCLIENT-SEMANTICS §3). A browser cannot hand out
 * real paths, so the user types them: one field (one path per line with
 * `multiSelections`) prefilled with `defaultPath`, Open (`buttonLabel`) and
 * Cancel. Enter opens (Ctrl/Cmd+Enter with several lines), Escape cancels.
 * Resolves the trimmed non-empty paths, or `{canceled: true, filePaths: []}`.
 * Open with an empty field keeps the dialog open. Options of other types
 * are ignored, as Electron's defaults would be. Test hooks:
 * `[data-ddshim-dialog=modal|field|open|cancel]`.
 */
export function showOpenDialog(options?: unknown): Promise<OpenDialogResult> {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const str = (v: unknown, or: string): string => (typeof v === 'string' && v ? v : or);
  const props = Array.isArray(o.properties) ? o.properties : [];
  const multi = props.includes('multiSelections');
  const what = props.includes('openDirectory') ? (props.includes('openFile') ? 'file or folder' : 'folder') : 'file';
  const filters = Array.isArray(o.filters) ? o.filters.map((f: { name?: string; extensions?: string[] }) => `${f?.name} (${f?.extensions?.join(', ')})`).join('; ') : '';
  const title = str(o.title, `Open ${what}`);
  return new Promise((resolve) => {
    const before = document.activeElement as HTMLElement | null;
    const field = h(multi ? 'textarea' : 'input', 'display:block;box-sizing:border-box;width:100%;margin:12px 0;padding:6px 8px;font:13px ui-monospace,monospace;color:#17191E;background:#fff;border:1px solid #677285;border-radius:4px', {
      'data-ddshim-dialog': 'field',
      'aria-label': multi ? 'Paths, one per line' : 'Path',
      rows: '4',
    });
    field.value = str(o.defaultPath, '');
    const button = (label: string, part: string, css: string): HTMLButtonElement => {
      const b = h('button', `margin-left:8px;padding:6px 16px;border-radius:4px;border:1px solid #0055BD;font:inherit;font-weight:600;cursor:pointer;${css}`, { type: 'button', 'data-ddshim-dialog': part }, label);
      return b;
    };
    const cancel = button('Cancel', 'cancel', 'background:#fff;color:#0055BD');
    const open = button(str(o.buttonLabel, 'Open'), 'open', 'background:#0055BD;color:#fff');
    const modal = mount(
      h(
        'div',
        `${TOP}inset:0;display:flex;align-items:center;justify-content:center;background:rgba(0,0,0,.5)`,
        { 'data-ddshim-dialog': 'modal' },
        h(
          'div',
          'width:min(520px,calc(100vw - 32px));padding:20px;border-radius:6px;background:#fff;color:#17191E;box-shadow:0 8px 32px rgba(0,0,0,.4)',
          { role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
          h('b', 'font-size:16px', {}, title),
          h('p', 'margin:8px 0 0;color:#505968', {}, `A web page cannot see your files: type the full path${multi ? 's, one per line' : ''} of the ${what}.${filters && ` Docker Desktop would offer: ${filters}.`}`),
          field,
          h('div', 'text-align:right', {}, cancel, open),
        ),
      ),
    );
    const done = (filePaths?: string[]): void => {
      modal.remove();
      before?.focus?.();
      resolve({ canceled: !filePaths, filePaths: filePaths ?? [] });
    };
    const submit = (): void => {
      const paths = field.value.split('\n').map((p) => p.trim()).filter(Boolean);
      if (paths.length) done(paths);
      else field.focus();
    };
    cancel.onclick = () => done();
    open.onclick = submit;
    modal.onkeydown = (e) => {
      if (e.key === 'Escape') done();
      else if (e.key === 'Enter' && e.target === field && (!multi || e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        submit();
      }
    };
    field.focus();
  });
}

// @vitest-environment happy-dom
// The script-tag build's UI (issue 8): imported on first use, calls kept in
// order while it loads, and a UI that cannot load said so, naming its URL.
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyUi } from '../../src/shim/ui/lazy.js';

const UNREACHABLE = 'http://127.0.0.1:9/ddclient-shim.js';
const CANNOT = 'ddclient-shim: could not load toasts and dialogs (ddclient-shim-ui.js next to http://127.0.0.1:9/ddclient-shim.js)';

describe('lazyUi', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('imports the UI module on the first toast and shows toasts in the order asked', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const ui = lazyUi(pathToFileURL('dist/ddclient-shim.js').href);
    ui.toast('success', 'one');
    ui.toast('error', 'two');
    await expect.poll(() => document.querySelectorAll('[data-ddshim-toast]').length).toBe(2);
    expect([...document.querySelectorAll('[data-ddshim-toast]')].map((t) => t.getAttribute('data-ddshim-toast'))).toEqual(['success', 'error']);
  });

  it('when the UI cannot load: a toast is still logged with its text, a dialog and a navigation reject naming the URL', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ui = lazyUi(UNREACHABLE);
    ui.toast('warning', 'careful');
    await expect(ui.openDialog({})).rejects.toThrow(CANNOT);
    await expect(ui.navigate({} as never, 'Containers', undefined, undefined)).rejects.toThrow(CANNOT);
    expect(warn).toHaveBeenCalledWith(`${CANNOT}; toast (warning): careful`);
  });

  it('a base no URL resolves against (data-gateway="localhost:7777") fails the UI, not the install', async () => {
    const ui = lazyUi('localhost:7777/');
    await expect(ui.openDialog({})).rejects.toThrow('ddclient-shim: could not load toasts and dialogs (ddclient-shim-ui.js next to localhost:7777/)');
  });
});

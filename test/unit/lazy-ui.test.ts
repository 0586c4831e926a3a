// @vitest-environment happy-dom
// The script-tag build's UI (issue 8): imported on first use, calls kept in
// order while it loads, and a UI that cannot load said so, naming its URL.
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyUi } from '../../src/shim/ui/lazy.js';

const UNREACHABLE = 'http://127.0.0.1:9/ddclient-shim-ui.js';

describe('lazyUi', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('imports the UI module on the first toast and shows toasts in the order asked', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const ui = lazyUi(pathToFileURL('src/shim/ui/script.ts').href);
    ui.toast('success', 'one');
    ui.toast('error', 'two');
    await expect.poll(() => document.querySelectorAll('[data-ddshim-toast]').length).toBe(2);
    expect([...document.querySelectorAll('[data-ddshim-toast]')].map((t) => t.getAttribute('data-ddshim-toast'))).toEqual(['success', 'error']);
  });

  it('when the UI cannot load: a toast is still logged with its text, a dialog and a navigation reject naming the URL', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ui = lazyUi(UNREACHABLE);
    ui.toast('warning', 'careful');
    await expect(ui.openDialog({})).rejects.toThrow(`ddclient-shim: could not load toasts and dialogs from ${UNREACHABLE}`);
    await expect(ui.navigate({} as never, 'Containers', undefined, undefined)).rejects.toThrow(UNREACHABLE);
    expect(warn).toHaveBeenCalledWith(`ddclient-shim: could not load toasts and dialogs from ${UNREACHABLE}; toast (warning): careful`);
  });
});

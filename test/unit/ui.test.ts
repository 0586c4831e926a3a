// @vitest-environment happy-dom
// The in-page UI of desktopUI.toast.* and desktopUI.dialog.showOpenDialog
// (DDCLIENT-SEMANTICS §3, issue 5), in a DOM. The keyboard (Enter, Escape)
// and the look are checked in real Chromium: test/e2e/ui.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { showOpenDialog } from '../../src/shim/ui/dialog.js';
import { MAX_TOASTS, TOASTS, showToast, type ToastKind } from '../../src/shim/ui/toast.js';
import { contrast } from '../helpers/contrast.js';

const toasts = () => [...document.querySelectorAll<HTMLElement>('[data-ddshim-toast]')];


describe('showToast', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(console, 'info').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('shows a toast per call, newest at the bottom, with role and kind', () => {
    showToast('success', 'saved');
    showToast('error', 'it broke');
    showToast('info', 'Docker Desktop would open: Containers › my-db › Logs');
    const shown = toasts();
    expect(shown.map((t) => t.dataset.ddshimToast)).toEqual(['success', 'error', 'info']);
    expect(shown.map((t) => t.getAttribute('role'))).toEqual(['status', 'alert', 'status']);
    expect(shown[0]!.textContent).toContain('saved');
    expect(shown[2]!.textContent).toContain('Containers › my-db › Logs');
    // One fixed container, bottom right, holding them in order.
    const stack = document.querySelector<HTMLElement>('[data-ddshim-toasts]')!;
    expect(document.querySelectorAll('[data-ddshim-toasts]')).toHaveLength(1);
    expect([...stack.children]).toEqual(shown);
    expect(stack.style.position).toBe('fixed');
    expect(stack.style.bottom).toBe('16px');
    expect(stack.style.right).toBe('16px');
    expect(stack.style.zIndex).toBe('2147483647');
  });

  it('logs one console line per toast', () => {
    showToast('warning', 'careful');
    expect(console.info).toHaveBeenCalledTimes(1);
    expect(console.info).toHaveBeenCalledWith('ddClient toast (warning): careful');
  });

  it('goes away after 5 s, errors after 8 s', () => {
    showToast('success', 'a');
    showToast('error', 'b');
    vi.advanceTimersByTime(4999);
    expect(toasts()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(toasts().map((t) => t.dataset.ddshimToast)).toEqual(['error']);
    vi.advanceTimersByTime(3000);
    expect(toasts()).toEqual([]);
  });

  it('goes away on a click, leaving the others', () => {
    showToast('success', 'one');
    showToast('warning', 'two');
    toasts()[0]!.click();
    expect(toasts().map((t) => t.textContent)).toEqual([expect.stringContaining('two')]);
  });

  it(`shows at most ${MAX_TOASTS} at once, dropping the oldest`, () => {
    for (let i = 1; i <= MAX_TOASTS + 2; i++) showToast('info', `n${i}`);
    const texts = toasts().map((t) => t.textContent);
    expect(texts).toHaveLength(MAX_TOASTS);
    expect(texts[0]).toContain('n3');
    expect(texts.at(-1)).toContain(`n${MAX_TOASTS + 2}`);
  });

  it('shows text, never HTML, and turns anything into a string', () => {
    showToast('error', '<img src=x onerror=alert(1)>');
    showToast('info', 42 as unknown as string);
    showToast('info', { toString: () => 'an object' } as unknown as string);
    expect(document.querySelector('img')).toBeNull();
    expect(toasts().map((t) => t.textContent)).toEqual([expect.stringContaining('<img src=x'), expect.stringContaining('42'), expect.stringContaining('an object')]);
  });

  it('makes its container again when the page removed it', () => {
    showToast('success', 'first');
    document.body.innerHTML = '';
    showToast('success', 'second');
    expect(toasts().map((t) => t.textContent)).toEqual([expect.stringContaining('second')]);
  });

  it('works before <body> exists (a head script), on <html>', () => {
    document.body.remove();
    expect(document.body).toBeNull();
    showToast('success', 'early');
    expect(toasts()).toHaveLength(1);
    expect(toasts()[0]!.closest('html')).toBe(document.documentElement);
    document.documentElement.append(document.createElement('body'));
  });

  it('uses colours that white text reads on (WCAG AA, 4.5:1), the same on light and dark pages', () => {
    for (const kind of Object.keys(TOASTS) as ToastKind[]) {
      showToast(kind, kind);
      const el = toasts().at(-1)!;
      expect(el.style.color).toMatch(/^(#fff|#ffffff|white|rgb\(255, 255, 255\))$/i);
      expect(contrast(TOASTS[kind][0], '#FFFFFF'), kind).toBeGreaterThanOrEqual(4.5);
      // The toast brings its own background, so the page's does not matter.
      expect(el.style.background.toLowerCase()).toContain(TOASTS[kind][0].toLowerCase().slice(1, 3));
    }
  });
});

describe('showOpenDialog', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });
  const part = <E extends HTMLElement>(name: string) => document.querySelector<E>(`[data-ddshim-dialog=${name}]`)!;

  it('opens a modal with the title, a field prefilled from defaultPath, focused', async () => {
    const result = showOpenDialog({ title: 'Pick a compose file', defaultPath: '/home/me/app', buttonLabel: 'Use it', properties: ['openFile'] });
    const modal = part<HTMLDialogElement>('modal');
    expect(modal.tagName).toBe('DIALOG');
    expect(modal.open).toBe(true);
    expect(modal.textContent).toContain('Pick a compose file');
    expect(modal.textContent).toContain('type the full path');
    const field = part<HTMLInputElement>('field');
    expect(field.tagName).toBe('INPUT');
    expect(field.value).toBe('/home/me/app');
    expect(document.activeElement).toBe(field);
    expect(part('open').textContent).toBe('Use it');
    part('cancel').click();
    await result;
  });

  it('resolves canceled on Cancel, and goes away', async () => {
    const result = showOpenDialog({ defaultPath: '/tmp/x' });
    part('cancel').click();
    expect(await result).toEqual({ canceled: true, filePaths: [] });
    expect(document.querySelector('[data-ddshim-dialog]')).toBeNull();
  });

  it('resolves canceled when the dialog is closed any other way (Escape closes it without submitting)', async () => {
    const result = showOpenDialog({});
    part<HTMLDialogElement>('modal').close();
    expect(await result).toEqual({ canceled: true, filePaths: [] });
  });

  it('resolves the typed path, trimmed, on Open', async () => {
    const result = showOpenDialog({ properties: ['openFile'] });
    part<HTMLInputElement>('field').value = '  /home/me/compose.yaml ';
    part('open').click();
    expect(await result).toEqual({ canceled: false, filePaths: ['/home/me/compose.yaml'] });
  });

  it('resolves the typed path when the form is submitted (what Enter does)', async () => {
    const result = showOpenDialog({ defaultPath: '/srv/data' });
    part<HTMLInputElement>('field').closest('form')!.requestSubmit(part('open'));
    expect(await result).toEqual({ canceled: false, filePaths: ['/srv/data'] });
  });

  it('takes one path per line with multiSelections, dropping empty lines', async () => {
    const result = showOpenDialog({ properties: ['openFile', 'multiSelections'], title: 'Files' });
    const field = part<HTMLTextAreaElement>('field');
    expect(field.tagName).toBe('TEXTAREA');
    expect(part('modal').textContent).toContain('one per line');
    field.value = '/a/one\n\n  /b/two  \n';
    part('open').click();
    expect(await result).toEqual({ canceled: false, filePaths: ['/a/one', '/b/two'] });
  });

  it('does not open with an empty field: the field is required', async () => {
    const result = showOpenDialog({});
    part('open').click();
    expect(part<HTMLDialogElement>('modal').open).toBe(true);
    expect(part<HTMLInputElement>('field').validity.valueMissing).toBe(true);
    part('cancel').click();
    expect(await result).toEqual({ canceled: true, filePaths: [] });
  });

  it('names a folder for openDirectory, and ignores options of the wrong type', async () => {
    const a = showOpenDialog({ properties: ['openDirectory'] });
    expect(part('modal').textContent).toContain('Open folder');
    part('cancel').click();
    await a;
    for (const options of [undefined, null, 'nonsense', { title: 7, properties: 'multiSelections', defaultPath: {} }]) {
      const result = showOpenDialog(options);
      expect(part('modal').textContent).toContain('Open file');
      expect(part<HTMLInputElement>('field').tagName).toBe('INPUT');
      part('cancel').click();
      expect(await result).toEqual({ canceled: true, filePaths: [] });
    }
  });

});

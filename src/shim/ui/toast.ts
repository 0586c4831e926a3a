import { TOP, h, mount } from './dom.js';

export type ToastKind = 'success' | 'warning' | 'error' | 'info';

/**
 * Background and icon of each kind: Docker's 600 shades (the light
 * `palette.docker` ramp, see themes.ts). White text on each is ≥ 5.9:1
 * (WCAG AA asks 4.5:1), and the toast brings its own background, so it reads
 * the same on light and dark pages.
 */
export const TOAST_COLORS: Record<ToastKind, string> = { success: '#1E6C5F', warning: '#AA4409', error: '#B72132', info: '#0055BD' };
const ICONS: Record<ToastKind, string> = { success: '✓', warning: '!', error: '✕', info: 'i' };

/** At most this many toasts are shown at once; a new one pushes the oldest out. */
export const MAX_TOASTS = 5;

let stack: HTMLElement | undefined;

/**
 * Shows a toast, as Docker Desktop does for `desktopUI.toast.*` and V0
 * `toastSuccess/Warning/Error` (DDCLIENT-SEMANTICS §3), and the shim for
 * `navigate*` notices (`info`): bottom right, newest at the bottom, gone after
 * 5 s (errors 8 s) or on a click. Also one console line, for logs and for
 * pages without a DOM. `role=status` (`alert` for errors) so screen readers
 * announce it; `data-ddshim-toast="<kind>"` for tests.
 */
export function showToast(kind: ToastKind, message: string): void {
  const text = String(message);
  console[kind === 'error' ? 'error' : kind === 'warning' ? 'warn' : 'info'](`ddClient toast (${kind}): ${text}`);
  if (typeof document === 'undefined') return;
  // Created once; again if the page removed it (a framework that owns <body>).
  if (!stack?.isConnected) stack = mount(h('div', `${TOP}right:16px;bottom:16px;display:flex;flex-direction:column;gap:8px;max-width:min(420px,calc(100vw - 32px))`, { 'data-ddshim-toasts': '' }));
  const toast = h(
    'div',
    `display:flex;gap:10px;padding:10px 14px;border-radius:4px;background:${TOAST_COLORS[kind]};color:#fff;box-shadow:0 4px 12px rgba(0,0,0,.35);cursor:pointer;white-space:pre-wrap;overflow-wrap:anywhere`,
    { role: kind === 'error' ? 'alert' : 'status', 'data-ddshim-toast': kind, title: 'Click to dismiss' },
    h('b', '', { 'aria-hidden': 'true' }, ICONS[kind]),
    h('span', '', {}, text),
  );
  const close = (): void => toast.remove();
  toast.onclick = close;
  setTimeout(close, kind === 'error' ? 8000 : 5000);
  stack.append(toast);
  while (stack.children.length > MAX_TOASTS) stack.firstElementChild!.remove();
}

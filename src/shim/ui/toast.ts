import { h, mount } from './dom.js';

export type ToastKind = 'success' | 'warning' | 'error' | 'info';

/**
 * Background and icon of each kind: Docker's 600 shades (the light
 * `palette.docker` ramp, see themes.ts). White text on each is ≥ 5.9:1
 * (WCAG AA asks 4.5:1), and the toast brings its own background, so it reads
 * the same on light and dark pages.
 */
export const TOASTS: Record<ToastKind, [color: string, icon: string]> = {
  success: ['#1E6C5F', '✓'],
  warning: ['#AA4409', '!'],
  error: ['#B72132', '✕'],
  info: ['#0055BD', 'i'],
};

/** At most this many toasts show at once: a new one pushes the oldest out. */
export const MAX_TOASTS = 5;

let stack: HTMLElement | undefined;

/**
 * Shows a toast, as Docker Desktop does for `desktopUI.toast.*` and V0
 * `toastSuccess/Warning/Error` (DDCLIENT-SEMANTICS §3); `info` is the shim's
 * own, for `navigate*` notices. Bottom right, newest at the bottom, gone after
 * 5 s (errors 8 s) or on a click; `role=status` (`alert` for errors) so screen
 * readers announce it; `data-ddshim-toast="<kind>"` for tests. Also one
 * console line, for logs and for pages without a DOM.
 */
export function showToast(kind: ToastKind, message: string): void {
  const text = String(message);
  const [color, icon] = TOASTS[kind];
  console.info(`ddClient toast (${kind}): ${text}`);
  if (typeof document === 'undefined') return;
  // Created once; again if the page removed it (a framework that owns <body>).
  if (!stack?.isConnected) stack = mount(h('div', 'position:fixed;z-index:2147483647;right:16px;bottom:16px;display:grid;gap:8px;max-width:min(420px,90vw);font:14px system-ui,sans-serif', { 'data-ddshim-toasts': '' }));
  const toast = h('div', `padding:10px 14px;border-radius:4px;background:${color};color:#fff;box-shadow:0 2px 8px #0008;cursor:pointer;overflow-wrap:anywhere`, { role: kind === 'error' ? 'alert' : 'status', 'data-ddshim-toast': kind }, `${icon}  ${text}`);
  const close = (): void => toast.remove();
  toast.onclick = close;
  setTimeout(close, kind === 'error' ? 8000 : 5000);
  stack.append(toast);
  if (stack.children.length > MAX_TOASTS) stack.firstChild!.remove();
}

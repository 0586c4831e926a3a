import { showPage, type Page } from '../navigate.js';
import type { Transport } from '../transport.js';
import { showOpenDialog, type OpenDialogResult } from './dialog.js';
import { showToast, type ToastKind } from './toast.js';

/**
 * The in-page stand-ins for Docker Desktop's `desktopUI`: toasts, the open
 * dialog, and navigation notices. The client is handed one rather than
 * importing it, so that the script-tag build can load it on first use
 * (ui/lazy.ts, issue 8).
 */
export interface Ui {
  toast(kind: ToastKind, message: string): void;
  openDialog(options?: unknown): Promise<OpenDialogResult>;
  navigate(transport: Transport, page: Page, id: unknown, tag: unknown): Promise<void>;
}

/** The UI, here and now: the ESM entry, the offline script and Storybook use this one. */
export const inPageUi: Ui = {
  toast: showToast,
  openDialog: showOpenDialog,
  navigate: (transport, page, id, tag) => showPage(transport, page, id, tag, showToast),
};

import { createClient, updateInfo, type DockerDesktopClient } from './client.js';
import { installThemes } from './themes.js';
import type { Transport } from './transport.js';
import type { Ui } from './ui/index.js';

type Info = NonNullable<Parameters<typeof createClient>[2]>;

declare global {
  interface Window {
    ddClient?: unknown;
  }
}

export interface MountOptions {
  /** Toasts and the open dialog: `inPageUi`, or in the script-tag build the lazily loaded one. */
  ui: Ui;
  /** Host info known now; without it the client starts with placeholders and `info` fills them in when it resolves. */
  info?: Info | undefined;
  later?: Promise<Info> | undefined;
  /** Replace a ddClient that is there (Storybook, between stories); never done by default. */
  replace?: boolean | undefined;
}

/**
 * Puts a client over `transport` on `window.ddClient`, with the MUI theme
 * globals. A client that is already there — the page runs inside Docker
 * Desktop — is left alone and returned (DDCLIENT-SEMANTICS §1), with one
 * console line saying so.
 */
export function mount(transport: Transport, opts: MountOptions): DockerDesktopClient {
  if (window.ddClient !== undefined && !opts.replace) {
    console.info('ddclient-shim: window.ddClient is already there (Docker Desktop?): leaving it as it is.');
    return window.ddClient as DockerDesktopClient;
  }
  const client = createClient(transport, opts.ui, opts.info);
  opts.later?.then(
    (info) => updateInfo(client, info),
    (err: Error) => console.warn(err.message),
  );
  installThemes(window);
  window.ddClient = client;
  return client;
}

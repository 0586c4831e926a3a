import { checkString } from './args.js';
import type { Transport } from './transport.js';
import type { Ui } from './ui/index.js';

/**
 * The pages of `desktopUI.navigate.view<Name>` (DDCLIENT-SEMANTICS §3). Each
 * name says where it goes: its section (`Containers`, `Images`, `Volumes`),
 * then, for one object (`Container…`, `Image`, `Volume`), that object and
 * the tab the rest of the name gives (`ContainerLogs` → Containers › id › Logs).
 */
const PAGES = ['Containers', 'Container', 'ContainerLogs', 'ContainerInspect', 'ContainerTerminal', 'ContainerStats', 'Images', 'Image', 'Volumes', 'Volume'] as const;
const SECTIONS = ['Containers', 'Images', 'Volumes'];

export type Page = (typeof PAGES)[number];
type Section = 'Containers' | 'Images' | 'Volumes';

/** V1 `desktopUI.navigate`. */
export type NavigationIntents = {
  [P in Page as `view${P}`]: P extends Section ? () => Promise<void> : P extends 'Image' ? (id: string, tag: string) => Promise<void> : (id: string) => Promise<void>;
};

/** V0 `navigateTo<Name>`: the same pages but the terminal, which V0 never had. */
export type NavigateV0 = { [P in Exclude<Page, 'ContainerTerminal'> as `navigateTo${P}`]: NavigationIntents[`view${P}`] };

/**
 * `desktopUI.navigate.*` and their V0 twins `navigateTo*`: each is the UI's
 * `navigate` for its page (in the script-tag build, loaded on first use with
 * the rest of the in-page UI).
 */
export function createNavigate(transport: Transport, ui: Ui): { v1: NavigationIntents; v0: NavigateV0 } {
  const v1: Record<string, unknown> = {};
  const v0: Record<string, unknown> = {};
  for (const page of PAGES) {
    v1[`view${page}`] = (id: unknown, tag: unknown) => ui.navigate(transport, page, id, tag);
    if (page !== 'ContainerTerminal') v0[`navigateTo${page}`] = v1[`view${page}`];
  }
  return { v1, v0 } as { v1: NavigationIntents; v0: NavigateV0 };
}

/**
 * What a navigation does outside Docker Desktop, where there is no window to
 * go to: check that the object exists on the engine, and reject when it does
 * not, as Docker Desktop does; else say where it would have gone. Errors name
 * the V1 method, for the V0 twin too.
 */
export async function showPage(transport: Pick<Transport, 'docker'>, page: Page, id: unknown, tag: unknown, toast: Ui['toast']): Promise<void> {
  const at = `view${page}`;
  const section = SECTIONS.find((s) => page.startsWith(s.slice(0, -1)))!;
  const kind = section.toLowerCase();
  const where = [section];
  if (page !== section) {
    const ref = checkString(at, kind === 'volumes' ? 'volume' : 'id', id);
    await transport.docker(`${kind}/${encodeURIComponent(ref)}${kind === 'volumes' ? '' : '/json'}`).catch((err: { statusCode?: number }) => {
      throw err.statusCode === 404 ? new Error(`ddClient ${at}: no ${kind.slice(0, -1)} "${ref}" on the Docker engine`) : err;
    });
    where.push(tag && kind === 'images' ? `${ref}:${tag}` : ref);
    // The tab: what the name has after the object's kind.
    const tab = page.slice(section.length - 1);
    if (tab) where.push(tab);
  }
  toast('info', `Docker Desktop would open: ${where.join(' › ')}`);
}

/**
 * The two DOM helpers the in-page UI (toasts, the open dialog) is made of.
 * Plain elements with inline styles: nothing to load, and page CSS can only
 * reach them through selectors that already target every `div`.
 */

/** An element with `css` as its inline style, `attrs` set as attributes, and `kids` appended. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, css: string, attrs: Record<string, string> = {}, ...kids: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.style.cssText = css;
  for (const name in attrs) el.setAttribute(name, attrs[name]!);
  el.append(...kids);
  return el;
}

/**
 * Adds `el` to the page: to `<body>`, or to `<html>` while the body is not
 * parsed yet (a head script may toast; the parser appends `<body>` after it).
 */
export function mount<E extends Element>(el: E): E {
  (document.body ?? document.documentElement).append(el);
  return el;
}

/** The top of the stacking order (the largest 32-bit z-index). */
export const TOP = 'position:fixed;z-index:2147483647;font:14px/1.4 system-ui,sans-serif;';

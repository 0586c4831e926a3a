/**
 * The DOM helper the in-page UI (toasts, the open dialog) is made of: plain
 * elements with inline styles, nothing to load.
 */

/** An element with `css` as its inline style, `attrs` as attributes, and `kids` appended. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, css: string, attrs: Record<string, string> = {}, ...kids: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.style.cssText = css;
  for (const name in attrs) el.setAttribute(name, attrs[name]!);
  el.append(...kids);
  return el;
}

/** Adds `el` to `<body>`, or to `<html>` before the body is parsed (a head script may toast: the parser appends `<body>` after it). */
export function mount<E extends Element>(el: E): E {
  (document.body ?? document.documentElement).append(el);
  return el;
}

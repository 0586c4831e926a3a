/**
 * Issue 8 (the script-tag shim's size budget): parts of the shim most pages
 * never use — the in-page UI, the spawn code — are ES modules beside
 * dist/ddclient-shim.js, which it imports on first use. This is the one loader
 * for all of them.
 *
 * Returns a function that imports `path` (one of protocol.ts's CHUNK_PATHS,
 * e.g. `/ddclient-shim-ui.js`) from next to `base` (the shim's URL, or the
 * gateway's) once, and gives every caller that one import. If it cannot, each
 * caller gets an Error saying what could not be loaded, which file and from
 * where; it is not retried.
 */
export function lazyChunk<T>(base: string, path: string, what: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  // A module import, not a <script>: it needs no global, and inherits this script's CSP nonce.
  // The URL is resolved here, on first use, not at install: a base no URL resolves against
  // (data-gateway="localhost:7777") then fails only this part, not the install.
  return () =>
    (loading ??= (async () => (await import(new URL(`.${path}`, base).href)) as T)().catch(() => {
      throw new Error(`ddclient-shim: could not load ${what} (${path.slice(1)} next to ${base})`);
    }));
}

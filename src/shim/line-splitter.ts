/**
 * Line splitting for V1 `exec(…, {stream: {splitOutputLines: true}})`: `onOutput`
 * is called once per complete line, without its newline (DDCLIENT-SEMANTICS 2.3).
 * Output arrives in chunks at arbitrary boundaries, so a partial line waits for
 * the rest — up to a bound, so that output with no newline cannot grow memory.
 */

/** The splitter {@link createLineSplitter} returns; use one per output stream. */
export interface LineSplitter {
  /** Adds a chunk of output; calls `onLine` for each line it completes. */
  push(chunk: string): void;
  /** Emits the pending partial line, if any (call it when the stream ends). */
  flush(): void;
}

/**
 * Creates a splitter that calls `onLine` once per line, without its `\n` or
 * `\r\n` (a `\r\n` split across two chunks is still one line ending; a lone
 * `\r` is kept as content). A line longer than `maxLine` is emitted in pieces
 * of `maxLine` characters (one fewer where a cut would split a surrogate pair),
 * the same pieces however the output was chunked; so at most about `maxLine`
 * characters are ever buffered.
 *
 * @param maxLine - Longest line emitted whole, in UTF-16 units. @defaultValue 1 MiB (1048576)
 */
export function createLineSplitter(onLine: (line: string) => void, maxLine = 1 << 20): LineSplitter {
  let buf = '';

  // Emits maxLine-long leading pieces of `s` while it is longer than `limit`; returns the rest.
  const spill = (s: string, limit: number): string => {
    while (s.length > limit) {
      const c = s.charCodeAt(maxLine - 1);
      const n = maxLine > 1 && c >= 0xd800 && c < 0xdc00 ? maxLine - 1 : maxLine;
      onLine(s.slice(0, n));
      s = s.slice(n);
    }
    return s;
  };

  return {
    push(chunk) {
      // Search only the new text for newlines: the buffer holds none.
      let from = buf.length;
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n', from)) >= 0) {
        onLine(spill(buf.slice(0, buf[nl - 1] === '\r' ? nl - 1 : nl), maxLine));
        buf = buf.slice(nl + 1);
        from = 0;
      }
      // A trailing `\r` may be half of a `\r\n`: it does not count towards the bound.
      buf = spill(buf, maxLine + (buf.endsWith('\r') ? 1 : 0));
    },
    flush() {
      if (buf) onLine(buf);
      buf = '';
    },
  };
}

/**
 * Shell-style tokenising of a command line, as Docker Desktop does for V0 exec
 * and V1 non-stream exec (DDCLIENT-SEMANTICS 2.2). It happens here, in the
 * shim: the wire carries argv, and the gateway never parses a command line.
 * Streamed exec (2.3) passes argv verbatim and must not call this.
 */

/** ASCII whitespace only: a no-break space or other Unicode space is part of a word. */
const BLANK = /[ \t\n\r\v\f]/;
/** The characters a backslash escapes inside double quotes (POSIX 2.2.3). */
const DQ_ESCAPES = '"\\$`\n';

/**
 * Splits a command line into argv the way a POSIX shell splits words, but with
 * none of a shell's other powers: no `$VAR`/`~` expansion, no globbing, no
 * `|`, `&&`, `;`, `>`, `$(…)` or `#` comments — those are ordinary characters
 * (current Docker Desktop documents that pipes and subshells are not supported:
 * docs PR 15627, extensions-sdk issue 212).
 *
 * - ASCII whitespace (space, tab, newline, CR, VT, FF) separates words.
 * - `'…'` keeps everything literally; `"…"` too, except that a backslash escapes
 *   `"`, `\`, `$`, `` ` `` and removes an escaped newline (elsewhere it stays).
 * - Outside quotes a backslash escapes any character; `\<newline>` is a line
 *   continuation and disappears.
 * - Adjacent parts concatenate (`a"b"'c'` → `abc`); `""` or `''` is an empty word.
 *
 * @example tokenize(`ps --format "{{json .}}"`) // ['ps', '--format', '{{json .}}']
 * @throws SyntaxError on an unterminated quote or a trailing lone backslash,
 *   naming the problem, its index (0-based, in UTF-16 units) and the line.
 */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let opened = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
      else word += c;
    } else if (quote) {
      const next = line[i + 1];
      if (c === '"') quote = '';
      else if (c === '\\' && next !== undefined && DQ_ESCAPES.includes(next)) {
        i++;
        if (next !== '\n') word += next;
      } else word += c;
    } else if (c === '\\') {
      const next = line[++i];
      if (next === undefined) throw fail('trailing backslash', i - 1, line);
      // `\<newline>` is removed before words are split, so it starts no word.
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
    } else if (BLANK.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      if (c === '"' || c === "'") {
        quote = c;
        opened = i;
      } else word += c;
      inWord = true;
    }
  }
  if (quote) throw fail(`unterminated ${quote === '"' ? 'double' : 'single'} quote opened`, opened, line);
  if (inWord) words.push(word);
  return words;
}

function fail(problem: string, index: number, line: string): SyntaxError {
  return new SyntaxError(`${problem} at index ${index} of command line ${JSON.stringify(line)}`);
}

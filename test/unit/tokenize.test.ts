import { describe, expect, test } from 'vitest';
import { tokenize } from '../../src/shim/tokenize.js';

// DDCLIENT-SEMANTICS 2.2: shell-style words, no shell.
const cases: Array<[line: string, argv: string[]]> = [
  // the idioms real extensions use
  ['ps --format "{{json .}}"', ['ps', '--format', '{{json .}}']],
  [`info --format '"{{json .}}"'`, ['info', '--format', '"{{json .}}"']],
  ['sh -c "echo hi; exit 3"', ['sh', '-c', 'echo hi; exit 3']],
  ['/app/tailscale up --authkey=x', ['/app/tailscale', 'up', '--authkey=x']],
  ['/app/tailscale status -json', ['/app/tailscale', 'status', '-json']],
  ['./hello.sh name', ['./hello.sh', 'name']],
  // V1 non-stream exec joins [cmd, ...args] with spaces first
  [['ps', '--format', '"{{json .}}"'].join(' '), ['ps', '--format', '{{json .}}']],
  // separators
  ['', []],
  ['   ', []],
  [' \t\n\r\v\f ', []],
  ['a', ['a']],
  ['  a   b  ', ['a', 'b']],
  ['a\tb\nc\r\nd', ['a', 'b', 'c', 'd']],
  ['a\u00a0b', ['a\u00a0b']], // a no-break space is not a separator
  // single quotes: everything literal
  [`'a b'`, ['a b']],
  [`'a\\b' '\\'`, ['a\\b', '\\']],
  [`'"x"'`, ['"x"']],
  [`'$HOME \`id\` $(id) *'`, ['$HOME `id` $(id) *']],
  [`'line1\nline2'`, ['line1\nline2']],
  // double quotes: backslash escapes only " \ $ ` and newline
  ['"a b"', ['a b']],
  ['"say \\"hi\\""', ['say "hi"']],
  ['"a\\\\b"', ['a\\b']],
  ['"\\$HOME \\`x\\`"', ['$HOME `x`']],
  ['"a\\\nb"', ['ab']],
  ['"a\\nb \\t \\x"', ['a\\nb \\t \\x']],
  [`"it's"`, ["it's"]],
  ['"a\nb"', ['a\nb']],
  // backslash outside quotes
  ['a\\ b', ['a b']],
  ['a\\\\b', ['a\\b']],
  ['\\"a\\"', ['"a"']],
  [`\\'`, [`'`]],
  ['\\$x \\n', ['$x', 'n']],
  ['a\\\nb', ['ab']], // line continuation
  ['a \\\n b', ['a', 'b']], // ...which starts no word
  ['\\ ', [' ']],
  // concatenation and empty words
  [`a"b"'c'`, ['abc']],
  [`"a"'b'c"d"`, ['abcd']],
  ['--name="my app"', ['--name=my app']],
  ['""', ['']],
  ["''", ['']],
  [`a "" b '' c`, ['a', '', 'b', '', 'c']],
  [`""''""`, ['']],
  // no expansion, globbing, pipes, redirection, subshells or comments
  ['echo $HOME ~ *.txt', ['echo', '$HOME', '~', '*.txt']],
  ['ls | grep x && rm -rf / ; echo', ['ls', '|', 'grep', 'x', '&&', 'rm', '-rf', '/', ';', 'echo']],
  ['a|b>c<d&e', ['a|b>c<d&e']],
  ['echo $(id) `id` ${X}', ['echo', '$(id)', '`id`', '${X}']],
  ['echo > out.txt 2>&1', ['echo', '>', 'out.txt', '2>&1']],
  ['echo # not a comment', ['echo', '#', 'not', 'a', 'comment']],
  ['"$(id)"', ['$(id)']],
  // unicode passes through
  ['echo héllo 日本語 "naïve café"', ['echo', 'héllo', '日本語', 'naïve café']],
  ['echo 😀 "🐳 whale" \\🚀', ['echo', '😀', '🐳 whale', '🚀']],
  ['\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', ['\u{1F468}\u200D\u{1F469}\u200D\u{1F467}']],
];

describe('tokenize', () => {
  test.each(cases)('%j', (line, argv) => {
    expect(tokenize(line)).toEqual(argv);
  });
});

const errors: Array<[line: string, message: string]> = [
  ['echo "hi', 'unterminated double quote opened at index 5 of command line "echo \\"hi"'],
  [`echo 'hi`, `unterminated single quote opened at index 5 of command line "echo 'hi"`],
  [`a 'b' "c`, 'unterminated double quote opened at index 6'],
  [`"it's`, 'unterminated double quote opened at index 0'],
  [`'say "hi"`, 'unterminated single quote opened at index 0'],
  ['"abc\\"', 'unterminated double quote opened at index 0'],
  ['echo \\', 'trailing backslash at index 5 of command line "echo \\\\"'],
  ['\\', 'trailing backslash at index 0'],
  ['😀 \\', 'trailing backslash at index 3'],
];

describe('tokenize errors', () => {
  test.each(errors)('%j', (line, message) => {
    let error: unknown;
    try {
      tokenize(line);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toContain(message);
    // the whole line is quoted, so the user sees what was sent
    expect((error as Error).message).toContain(JSON.stringify(line));
  });
});

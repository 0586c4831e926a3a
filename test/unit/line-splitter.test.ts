import { describe, expect, test } from 'vitest';
import { createLineSplitter } from '../../src/shim/line-splitter.js';

/** Feeds `chunks`, then flushes; returns every line, with a marker where flush() was called. */
function split(chunks: string[], maxLine?: number): string[] {
  const lines: string[] = [];
  const s = createLineSplitter((l) => lines.push(l), maxLine);
  for (const c of chunks) s.push(c);
  lines.push('<flush>');
  s.flush();
  return lines;
}

/** Every way to cut `text` into two or three chunks must give the same lines as one chunk. */
function everyChunking(text: string, maxLine?: number): void {
  const whole = split([text], maxLine);
  for (let i = 0; i <= text.length; i++) {
    expect(split([text.slice(0, i), text.slice(i)], maxLine), `cut at ${i}`).toEqual(whole);
    for (let j = i; j <= text.length; j++) {
      expect(split([text.slice(0, i), text.slice(i, j), text.slice(j)], maxLine), `cut at ${i},${j}`).toEqual(whole);
    }
  }
  expect(split([...text], maxLine), 'one char at a time').toEqual(whole);
}

describe('createLineSplitter', () => {
  test('one call per complete line, without \\n or \\r\\n', () => {
    expect(split(['a\nb\r\nc\n'])).toEqual(['a', 'b', 'c', '<flush>']);
  });

  test('empty lines are lines', () => {
    expect(split(['\n\r\n\n'])).toEqual(['', '', '', '<flush>']);
  });

  test('a partial line waits for the rest, across chunks', () => {
    expect(split(['he', 'll', 'o\nwor', 'ld\n'])).toEqual(['hello', 'world', '<flush>']);
  });

  test('flush() emits the final partial line, once', () => {
    const lines: string[] = [];
    const s = createLineSplitter((l) => lines.push(l));
    s.push('a\nno newline');
    expect(lines).toEqual(['a']);
    s.flush();
    s.flush();
    expect(lines).toEqual(['a', 'no newline']);
  });

  test('flush() with nothing pending emits nothing', () => {
    expect(split(['a\n'])).toEqual(['a', '<flush>']);
    expect(split([])).toEqual(['<flush>']);
    expect(split(['', ''])).toEqual(['<flush>']);
  });

  test('a \\r\\n split across two chunks is one line ending', () => {
    expect(split(['a\r', '\nb\r', '\n'])).toEqual(['a', 'b', '<flush>']);
  });

  test('a lone \\r is content', () => {
    expect(split(['50%\r100%\n'])).toEqual(['50%\r100%', '<flush>']);
    expect(split(['a\r', 'b\n'])).toEqual(['a\rb', '<flush>']);
    expect(split(['a\r'])).toEqual(['<flush>', 'a\r']);
  });

  test('the same lines whatever the chunking', () => {
    everyChunking('ab\r\ncd\n\r\n\ré\r\n😀x\n\nend');
  });

  test('unicode passes through', () => {
    expect(split(['日本\n', '😀🐳\n'])).toEqual(['日本', '😀🐳', '<flush>']);
  });

  describe('maxLine', () => {
    test('defaults to 1 MiB characters', () => {
      const long = 'x'.repeat(2 ** 20);
      expect(split([long, '\n'])).toEqual([long, '<flush>']);
      expect(split([`${long}y\n`])).toEqual([long, 'y', '<flush>']);
    });

    test('a longer line comes in pieces of maxLine', () => {
      expect(split(['abcdefghij\n'], 4)).toEqual(['abcd', 'efgh', 'ij', '<flush>']);
      expect(split(['abcdefgh\n'], 4)).toEqual(['abcd', 'efgh', '<flush>']);
    });

    test('a partial line never buffers more than maxLine (+ a pending \\r)', () => {
      const lines: string[] = [];
      const s = createLineSplitter((l) => lines.push(l), 4);
      s.push('abcdef');
      expect(lines).toEqual(['abcd']);
      s.push('gh');
      expect(lines).toEqual(['abcd']); // 'efgh' may still end here
      s.push('i');
      expect(lines).toEqual(['abcd', 'efgh']);
      s.push('jkl\r');
      expect(lines).toEqual(['abcd', 'efgh']); // 'ijkl' may be a whole line ending in \r\n
      s.push('\n');
      expect(lines).toEqual(['abcd', 'efgh', 'ijkl']); // and it is: no empty piece after it
      s.push('z\n');
      expect(lines).toEqual(['abcd', 'efgh', 'ijkl', 'z']);
    });

    test('a line of exactly maxLine, with \\r\\n split, is one line', () => {
      expect(split(['abcd\r', '\n'], 4)).toEqual(['abcd', '<flush>']);
    });

    test('a piece never ends in half a surrogate pair', () => {
      expect(split(['ab😀cd\n'], 3)).toEqual(['ab', '😀c', 'd', '<flush>']);
      expect(split(['😀😀\n'], 1)).toEqual(['\ud83d', '\ude00', '\ud83d', '\ude00', '<flush>']);
    });

    test('the same pieces whatever the chunking', () => {
      everyChunking('abcdefgh\r\nabcd\r\n😀bc😀\nabcde\rf\n\n', 4);
      everyChunking('xyz\r\nabcdefg', 3);
    });
  });
});

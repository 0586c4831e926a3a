import type { v0, v1, v1Hybrid } from '@docker/extension-api-client-types';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { ExecResult } from '../../src/protocol.js';
import { type ExecResultV0, toExecResult } from '../../src/shim/exec-result.js';

const wire = (over: Partial<ExecResult> = {}): ExecResult => ({
  cmd: 'docker ps --format {{json .}}',
  code: 0,
  signal: null,
  killed: false,
  stdout: '',
  stderr: '',
  ...over,
});

/** The thrown error, which must be a SyntaxError. */
function syntaxError(f: () => unknown): SyntaxError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SyntaxError);
    return e as SyntaxError;
  }
  throw new Error('did not throw');
}

describe('toExecResult', () => {
  test('is assignable to the SDK types (0.4.2) of V0, V1 and the hybrid client', () => {
    const r = toExecResult(wire());
    expectTypeOf(r).toExtend<v0.ExecResult>();
    expectTypeOf(r).toExtend<v1.ExecResult>();
    expectTypeOf(r).toExtend<v1Hybrid.ExecResultV0>();
    expectTypeOf<ExecResultV0['parseJsonObject']>().returns.toBeAny();
    // and what the backend methods resolve with
    expectTypeOf<Promise<ExecResultV0>>().toExtend<ReturnType<v0.Backend['execInVMExtension']>>();
  });

  test('keeps the six data fields, in Docker Desktop order, with null signal (extensions-sdk issue 212)', () => {
    const r = toExecResult(wire({ code: 125, stdout: 'out', stderr: 'err', cmd: 'false' }));
    expect(Object.keys(r)).toEqual(['cmd', 'killed', 'signal', 'code', 'stdout', 'stderr']);
    expect(JSON.parse(JSON.stringify(r))).toEqual({
      cmd: 'false',
      killed: false,
      signal: null,
      code: 125,
      stdout: 'out',
      stderr: 'err',
    });
    expect({ ...r }).toEqual(JSON.parse(JSON.stringify(r)));
    expect(structuredClone(r)).toEqual({ ...r });
    const seen: string[] = [];
    for (const key in r) seen.push(key);
    expect(seen).toEqual(['cmd', 'killed', 'signal', 'code', 'stdout', 'stderr']);
  });

  test('a killed process: code null, signal named', () => {
    const r = toExecResult(wire({ code: null, signal: 'SIGTERM', killed: true }));
    expect(r).toMatchObject({ code: null, signal: 'SIGTERM', killed: true });
  });

  test('drops any extra field the wire might carry', () => {
    const r = toExecResult({ ...wire(), extra: 1 } as ExecResult);
    expect('extra' in r).toBe(false);
  });

  test('the helpers live on the prototype, not as own properties', () => {
    const r = toExecResult(wire({ stdout: 'a\nb' }));
    expect(r.lines()).toEqual(['a', 'b']);
    expect(typeof r.parseJsonLines).toBe('function');
    expect(Object.getOwnPropertyNames(r)).not.toContain('lines');
  });
});

describe('lines()', () => {
  // A plain split on \r?\n, as Rancher Desktop's re-implementation does.
  test.each<[string, string[]]>([
    ['', ['']],
    ['a', ['a']],
    ['a\n', ['a', '']],
    ['a\nb', ['a', 'b']],
    ['a\nb\n', ['a', 'b', '']],
    ['a\r\nb\r\n', ['a', 'b', '']],
    ['a\n\nb', ['a', '', 'b']],
    ['a\rb', ['a\rb']],
    ['\n', ['', '']],
    ['héllo 😀\nwörld', ['héllo 😀', 'wörld']],
  ])('%j', (stdout, lines) => {
    expect(toExecResult(wire({ stdout })).lines()).toEqual(lines);
  });

  test('splits stdout only', () => {
    expect(toExecResult(wire({ stdout: 'x', stderr: 'y\nz' })).lines()).toEqual(['x']);
  });
});

describe('parseJsonLines()', () => {
  test('parses each line, dropping empty and blank lines', () => {
    const stdout = '{"ID":"1","Names":"a"}\r\n\n  \n{"ID":"2","Names":"b"}\n"str"\n3\n';
    expect(toExecResult(wire({ stdout })).parseJsonLines()).toEqual([
      { ID: '1', Names: 'a' },
      { ID: '2', Names: 'b' },
      'str',
      3,
    ]);
  });

  test('empty stdout gives []', () => {
    expect(toExecResult(wire()).parseJsonLines()).toEqual([]);
  });

  test('a bad line throws a SyntaxError naming its number, the command and an excerpt', () => {
    const r = toExecResult(wire({ stdout: '{"a":1}\n\n{"b":\n{"c":3}\n' }));
    const e = syntaxError(() => r.parseJsonLines());
    expect(e.message).toContain('parseJsonLines(): line 3 of the output of "docker ps --format {{json .}}" is not JSON: "{\\"b\\":"');
    expect(e.cause).toBeInstanceOf(SyntaxError);
  });

  test('a long bad line is cut in the message', () => {
    const line = `x${'y'.repeat(500)}`;
    const e = syntaxError(() => toExecResult(wire({ stdout: line })).parseJsonLines());
    expect(e.message).toContain(`line 1 of`);
    expect(e.message).toContain(`"x${'y'.repeat(59)}…"`);
    expect(e.message.length).toBeLessThan(300);
  });
});

describe('parseJsonObject()', () => {
  test('parses the whole stdout, surrounding whitespace and newlines included', () => {
    const stdout = '{\n  "Containers": 25,\n  "Name": "docker-desktop"\n}\n';
    expect(toExecResult(wire({ stdout })).parseJsonObject()).toEqual({ Containers: 25, Name: 'docker-desktop' });
  });

  test('non-JSON throws a SyntaxError quoting the start of stdout', () => {
    const r = toExecResult(wire({ cmd: 'docker info', stdout: 'Client: Docker Engine\n Version: 27' }));
    const e = syntaxError(() => r.parseJsonObject());
    expect(e.message).toMatch(
      /^parseJsonObject\(\): the output of "docker info" is not JSON: "Client: Docker Engine\\n Version: 27" \(.+\)$/,
    );
  });

  test('empty stdout throws too', () => {
    const e = syntaxError(() => toExecResult(wire()).parseJsonObject());
    expect(e.message).toContain('is not JSON: ""');
  });

  test('JSON lines are not one object', () => {
    syntaxError(() => toExecResult(wire({ stdout: '{"a":1}\n{"a":2}\n' })).parseJsonObject());
  });
});

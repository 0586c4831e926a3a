/**
 * Argument checks for the public methods: a wrong type throws a TypeError
 * that names the method and the argument, before anything is sent.
 */

/** `ddClient <at>: <problem>`: every argument error names the method it came from. */
export const typeError = (at: string, problem: string): TypeError => new TypeError(`ddClient ${at}: ${problem}`);

function describe(value: unknown): string {
  if (value == null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string "${value.slice(0, 40)}"` : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

/** `value` when `ok`, else a TypeError saying what `name` must be and what it got. */
function check<T>(ok: boolean, at: string, name: string, expected: string, value: unknown): T {
  if (ok) return value as T;
  throw typeError(at, `"${name}" must be ${expected}, got ${describe(value)}`);
}

export const checkString = (at: string, name: string, value: unknown): string => check(typeof value === 'string', at, name, 'a string', value);

export const checkStringArray = (at: string, name: string, value: unknown): string[] =>
  check(Array.isArray(value) && value.every((v) => typeof v === 'string'), at, name, 'an array of strings', value);

export const checkFunction = <F>(at: string, name: string, value: F): F => check(typeof value === 'function', at, name, 'a function', value);

export const checkObject = <T extends object>(at: string, name: string, value: unknown): T =>
  check(typeof value === 'object' && value !== null && !Array.isArray(value), at, name, 'an object', value);

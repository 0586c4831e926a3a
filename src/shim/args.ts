/**
 * Argument checks for the public methods: a wrong type throws a TypeError
 * that names the method and the argument, before anything is sent.
 */

function describe(value: unknown): string {
  if (value == null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string "${value.slice(0, 40)}"` : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

function fail(where: string, name: string, expected: string, value: unknown): never {
  throw new TypeError(`ddClient ${where}: "${name}" must be ${expected}, got ${describe(value)}`);
}

export function checkString(where: string, name: string, value: unknown): string {
  return typeof value === 'string' ? value : fail(where, name, 'a string', value);
}

export function checkStringArray(where: string, name: string, value: unknown): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : fail(where, name, 'an array of strings', value);
}

export function checkFunction<F>(where: string, name: string, value: F): F {
  return typeof value === 'function' ? value : fail(where, name, 'a function', value);
}

export function checkObject<T extends object>(where: string, name: string, value: unknown): T {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : fail(where, name, 'an object', value);
}

import { GatewayError } from './errors.js';

/**
 * Turns the part of a request target after `service` into the backend's path
 * and query, parsed once and refused rather than normalised when ambiguous
 * (DESIGN.md, Security model): a backend must never see a path outside what
 * the page asked for, whatever its own router decodes. Refused: `..` and `.`
 * segments (raw or percent-encoded, with or without `;parameters`); in the
 * path, a `\`, an encoded `/`, `\` or `#`, an encoded control character, a
 * leading `//`; anywhere, a raw `#`, a NUL (raw or `%00`) or a raw control
 * character. A query may carry encoded `/` and `#`: no router splits on them.
 */
export function toBackendPath(rest: string): string {
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? '' : rest.slice(q);
  if (!path.startsWith('/')) {
    throw refuse(rest, 'it must start with "/"');
  }
  // "//host/x" is a network-path reference: a backend resolving it against a base URL
  // (`new URL(req.url, base)`) would route "/x" on "host" (issue 7, item 5).
  if (path.startsWith('//')) {
    throw refuse(rest, 'it starts with "//"');
  }
  // eslint-disable-next-line no-control-regex
  if (/[#\u0000-\u001f\u007f]|%00/i.test(rest)) {
    throw refuse(rest, 'it holds a "#", a NUL or a control character');
  }
  // In the path only: a query may carry an encoded "/" or "#" (`?dir=%2Fvar&tag=%23a`), which no router splits on.
  if (/\\|%(2f|5c|23)/i.test(path)) {
    throw refuse(rest, 'its path holds a "\\" or an encoded "/", "\\" or "#"');
  }
  // Encoded control characters in the path: a backend that decodes it and echoes it into a
  // header (a redirect's Location) would split its own response (issue 7, item 5).
  if (/%(0[0-9a-f]|1[0-9a-f]|7f)/i.test(path)) {
    throw refuse(rest, 'its path holds an encoded control character');
  }
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw refuse(rest, `"${segment}" is not valid percent-encoding`);
    }
    // "..;x" is ".." to routers that take path parameters off a segment (RFC 3986 §3.3; Tomcat, Spring).
    const bare = decoded.split(';', 1)[0];
    if (bare === '.' || bare === '..') throw refuse(rest, 'it holds a "." or ".." segment');
  }
  return path + query;
}

function refuse(target: string, why: string, what = 'service path'): GatewayError {
  return new GatewayError(400, 'bad-request', `refused ${what} "${target.slice(0, 200)}": ${why}`);
}

/**
 * Checks the Engine API path of a `docker/…` read. Unlike a service path it may
 * hold `%2F` (an image name such as `acme/hello` is one encoded segment, and the
 * engine's router takes it), but no segment may decode to `.` or `..`, and no
 * `\`, `#` or control character, raw or encoded (issue 7, item 5).
 */
export function checkEnginePath(path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw refuse(path, 'it is not valid percent-encoding', 'engine path');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\#\u0000-\u001f\u007f]/.test(decoded) || decoded.split('/').some((s) => s === '.' || s === '..')) {
    throw refuse(path, 'it holds a "." or ".." segment, a "\\", "#" or a control character', 'engine path');
  }
  return path;
}

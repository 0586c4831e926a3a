import { GatewayError } from './errors.js';

/**
 * Turns the part of a request target after `service` into the backend's path
 * and query, parsed once and refused rather than normalised when ambiguous
 * (DESIGN.md, Security model): a backend must never see a path outside what
 * the page asked for, whatever its own router decodes. Refused: `..` and `.`
 * segments (raw or percent-encoded), encoded `/` and `\`, raw `\`, `#`, NUL
 * and control characters, a leading `//`.
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
  if (/[\\#\u0000-\u001f\u007f]|%(2f|5c|00|23)/i.test(rest)) {
    throw refuse(rest, 'it holds an encoded "/" or "\\", a "\\", "#" or a control character');
  }
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw refuse(rest, `"${segment}" is not valid percent-encoding`);
    }
    if (decoded === '.' || decoded === '..') throw refuse(rest, 'it holds a "." or ".." segment');
  }
  return path + query;
}

function refuse(target: string, why: string): GatewayError {
  return new GatewayError(400, 'bad-request', `refused service path "${target.slice(0, 200)}": ${why}`);
}

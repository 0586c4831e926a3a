import { ID_PATTERN, type ExecRequest, type ExecTarget, type SpawnRequest } from '../protocol.js';
import { GatewayError } from './errors.js';

const TARGETS: readonly ExecTarget[] = ['container', 'vm', 'host', 'docker'];

/** Checks a `POST exec` body field by field; the first wrong field is named in a 400. */
export function parseExecRequest(body: unknown): ExecRequest {
  if (typeof body !== 'object' || body === null) throw bad('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (!TARGETS.includes(b.target as ExecTarget)) throw bad(`"target" must be one of ${TARGETS.join(', ')}`);
  if (!Array.isArray(b.argv) || b.argv.length === 0 || !b.argv.every((a) => typeof a === 'string')) {
    throw bad('"argv" must be a non-empty array of strings');
  }
  const req: ExecRequest = { target: b.target as ExecTarget, argv: b.argv as string[] };
  if (b.target === 'container') {
    if (typeof b.container !== 'string' || b.container === '') throw bad('"container" must name a container');
    req.container = b.container;
  }
  if (b.cwd !== undefined) {
    if (typeof b.cwd !== 'string') throw bad('"cwd" must be a string');
    req.cwd = b.cwd;
  }
  if (b.env !== undefined) {
    if (typeof b.env !== 'object' || b.env === null || Array.isArray(b.env) || !Object.values(b.env).every((v) => typeof v === 'string')) {
      throw bad('"env" must be an object of strings');
    }
    req.env = b.env as Record<string, string>;
  }
  return req;
}

/** A `POST spawn` body: an exec request plus the ids the shim chose. */
export function parseSpawnRequest(body: unknown): SpawnRequest {
  const req = parseExecRequest(body);
  const { session, id } = body as Record<string, unknown>;
  if (typeof session !== 'string' || !ID_PATTERN.test(session)) throw bad(`"session" must match ${ID_PATTERN}`);
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw bad(`"id" must match ${ID_PATTERN}`);
  return { ...req, session, id };
}

function bad(message: string): GatewayError {
  return new GatewayError(400, 'bad-request', `bad exec request: ${message}`);
}

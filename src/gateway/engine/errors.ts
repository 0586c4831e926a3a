/**
 * GatewayErrors for what goes wrong between the gateway and the Docker engine,
 * each saying what failed, where, and what to do (DESIGN.md, "errors a user can act on").
 */
import { GatewayError } from '../errors.js';

/** What a developer can do when no engine answers. */
const START_HINT =
  'start one: `scripts/docker-engine.sh up` in the ddclient-shim repository (then `eval "$(scripts/docker-engine.sh env)"`), or start Docker; or point DOCKER_HOST at a running engine';

export function engineUnreachable(host: string, cause: unknown): GatewayError {
  const code = (cause as { code?: unknown } | null)?.code;
  const why = cause instanceof Error ? cause.message : String(cause);
  if (code === 'EACCES') {
    return new GatewayError(503, 'engine-unreachable', `permission denied on the Docker engine socket ${host} (${why}): run the gateway as a user in the \`docker\` group, or point DOCKER_HOST at an engine you can use`, { cause });
  }
  return new GatewayError(503, 'engine-unreachable', `Docker engine at ${host} is not reachable (${why}): ${START_HINT}`, { cause });
}

export function engineUnsupported(host: string, why: string): GatewayError {
  return new GatewayError(503, 'engine-unreachable', `cannot use the Docker engine at ${host}: ${why}`);
}

export function engineLost(host: string, what: string, cause: unknown): GatewayError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new GatewayError(503, 'engine-unreachable', `lost the connection to the Docker engine at ${host} while ${what} (${why})`, { cause });
}

/**
 * The exec's record is gone from the engine (inspect answers 404) once its
 * stream has ended: the container was removed, or the engine restarted, while
 * the command ran (issue 7, "container removed mid-exec").
 */
export function execGone(host: string, container: string, cmd: string, cause: unknown): GatewayError {
  return new GatewayError(404, 'no-such-container', `${JSON.stringify(cmd)} in container "${container}" ended with no exit status: the container was removed, or the Docker engine at ${host} restarted, while it ran`, { cause });
}

/** Rethrows a 404 from an exec's inspect as {@link execGone}; anything else as it is. */
export function orExecGone(host: string, container: string, cmd: string): (err: unknown) => never {
  return (err) => {
    throw err instanceof GatewayError && err.status === 404 ? execGone(host, container, cmd, err) : err;
  };
}

/** The engine's `{message}` from an error body, or the raw text. */
export function engineMessage(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** An error status from `POST /containers/{id}/exec` (or exec start) for `container`. */
export function execCreateError(host: string, container: string, status: number, body: unknown): GatewayError {
  const msg = engineMessage(body);
  if (status === 404) {
    return new GatewayError(404, 'no-such-container', `no such container "${container}" on the Docker engine at ${host} (\`docker ps -a\` lists them; the engine said: ${msg})`);
  }
  if (status === 409) {
    // 409 also covers "paused" and "restarting": the engine's own words say which.
    return new GatewayError(409, 'container-not-running', `container "${container}" is not running (the engine at ${host} said: ${msg}); start it with \`docker start ${container}\``);
  }
  return statusError(host, `exec in container "${container}"`, status, body);
}

/** Any other error status: a 4xx stays the caller's fault, a 5xx is the engine's. */
export function statusError(host: string, what: string, status: number, body: unknown): GatewayError {
  const msg = `Docker engine at ${host} refused ${what}: ${status} ${engineMessage(body)}`;
  if (status === 404) return new GatewayError(404, 'not-found', msg);
  if (status >= 400 && status < 500) return new GatewayError(status, 'bad-request', msg);
  return new GatewayError(502, 'engine-error', msg);
}

/**
 * The process never started: runc's message arrives on the exec's stdout and the
 * exit code is 126/127 (`docker exec` exits with the same). A missing binary is
 * `command-not-found` (404); anything else (permission denied, a missing cwd) is
 * `cannot-start` (400).
 */
export function startFailure(container: string, argv: readonly string[], ociMessage: string): GatewayError {
  const msg = ociMessage.trim();
  const what = `cannot run ${JSON.stringify(argv[0] ?? '')} in container "${container}"`;
  const cwd = /chdir to cwd|working directory/i.test(msg);
  if (!cwd && /executable file not found|no such file or directory|not found/i.test(msg)) {
    return new GatewayError(404, 'command-not-found', `${what}: no such program in the container (${msg})`);
  }
  return new GatewayError(400, 'cannot-start', `${what}: ${msg}`);
}

/** Runc prefixes every start failure with this; used with exit code 126/127 and Pid 0 to tell one from a process's own exit. */
export function isStartFailureMessage(stdout: string): boolean {
  return stdout.startsWith('OCI runtime exec');
}

export function abandoned(container: string, argv: readonly string[]): GatewayError {
  return new GatewayError(503, 'internal', `${JSON.stringify(argv.join(' '))} in container "${container}" was ended: whoever asked for it went away (the page closed, or the gateway is closing)`);
}

export function outputTooLarge(container: string, argv: readonly string[], limit: number): GatewayError {
  return new GatewayError(413, 'output-too-large', `${JSON.stringify(argv.join(' '))} in container "${container}" wrote more than ${limit} bytes of output; it was killed (raise maxOutputBytes, or use spawn to stream the output)`);
}

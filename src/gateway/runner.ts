import type { ExecRequest, ExecResult } from '../protocol.js';
import { DEFAULT_MAX_OUTPUT_BYTES, type Engine, type RunningProcess } from './engine/index.js';
import { GatewayError } from './errors.js';
import { resolveHostBinary } from './host-binary.js';
import { execLocal, spawnLocal, type LocalRun } from './local-process.js';

/** Runs exec and spawn requests where their target says. */
export interface Runner {
  /** `signal`: the caller went away; the process is ended and the call fails (issue 7). */
  exec(req: ExecRequest, signal?: AbortSignal): Promise<ExecResult>;
  spawn(req: ExecRequest): Promise<RunningProcess>;
}

export interface RunnerOptions {
  engine: Engine;
  vmContainer?: string | undefined;
  hostDir?: string | undefined;
  /** The `docker` CLI for `docker.cli.exec`. @defaultValue `docker` from PATH */
  dockerCli?: string | undefined;
}

/**
 * One place that knows the four targets (protocol: ExecTarget): `container`
 * and `vm` run in containers through the Engine API; `host` runs a binary of
 * the extension's host folder and `docker` the docker CLI (pointed at the
 * gateway's engine), both as local processes without a shell.
 */
export function createRunner(opts: RunnerOptions): Runner {
  const containerOf = (req: ExecRequest): string => {
    if (req.target === 'container') return req.container!;
    if (opts.vmContainer === undefined) {
      throw new GatewayError(400, 'no-vm-container', "this call runs in the extension's backend container, but the gateway has none: start it with --vm-container <name>");
    }
    return opts.vmContainer;
  };

  const local = async (req: ExecRequest): Promise<LocalRun> => {
    const [name = '', ...args] = req.argv;
    const docker = req.target === 'docker';
    return {
      file: docker ? (opts.dockerCli ?? 'docker') : await resolveHostBinary(opts.hostDir, name),
      args: docker ? req.argv : args,
      cmd: docker ? `docker ${req.argv.join(' ')}` : req.argv.join(' '),
      cwd: req.cwd,
      env: docker ? { ...req.env, DOCKER_HOST: opts.engine.host } : req.env,
    };
  };

  const inContainer = (req: ExecRequest) => ({
    container: containerOf(req),
    argv: req.argv,
    ...(req.cwd === undefined ? {} : { cwd: req.cwd }),
    ...(req.env === undefined ? {} : { env: req.env }),
  });

  return {
    async exec(req, signal) {
      if (req.target === 'container' || req.target === 'vm') return opts.engine.exec({ ...inContainer(req), ...(signal === undefined ? {} : { signal }) });
      try {
        return await execLocal(await local(req), DEFAULT_MAX_OUTPUT_BYTES, signal);
      } catch (err) {
        // Like `docker exec` and a shell: a command that cannot be found is exit code 127, not a failed call (§2.2).
        if (err instanceof GatewayError && err.code === 'command-not-found') return { cmd: req.argv.join(' '), code: 127, signal: null, killed: false, stdout: '', stderr: `${err.message}\n` };
        throw err;
      }
    },
    async spawn(req) {
      if (req.target === 'container' || req.target === 'vm') return opts.engine.spawn(inContainer(req));
      return spawnLocal(await local(req));
    },
  };
}

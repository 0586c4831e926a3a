import type { ExecRequest, ExecResult } from '../protocol.js';
import type { Engine, RunningProcess, RunRequest } from './engine/index.js';
import { GatewayError } from './errors.js';

/** Runs exec and spawn requests where their target says. */
export interface Runner {
  exec(req: ExecRequest): Promise<ExecResult>;
  spawn(req: ExecRequest): Promise<RunningProcess>;
}

export function createRunner(opts: { engine: Engine; vmContainer?: string | undefined }): Runner {
  const toRun = (req: ExecRequest): RunRequest => {
    const run: RunRequest = { container: containerOf(req), argv: req.argv };
    if (req.cwd !== undefined) run.cwd = req.cwd;
    if (req.env !== undefined) run.env = req.env;
    return run;
  };

  const containerOf = (req: ExecRequest): string => {
    switch (req.target) {
      case 'container':
        return req.container!;
      case 'vm':
        if (opts.vmContainer === undefined) {
          throw new GatewayError(400, 'no-vm-container', "this call runs in the extension's backend container, but the gateway has none: start it with --vm-container <name>");
        }
        return opts.vmContainer;
      default:
        throw new GatewayError(501, 'bad-request', `exec target "${req.target}" is not supported by this gateway yet`);
    }
  };

  return {
    exec: async (req) => opts.engine.exec(toRun(req)),
    spawn: async (req) => opts.engine.spawn(toRun(req)),
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { ExecResult } from '../protocol.js';
import type { ExitStatus, OutputChunk, RunningProcess } from './engine/index.js';
import { GatewayError } from './errors.js';

export interface LocalRun {
  file: string;
  args: string[];
  /** The command line as the page gave it, for `cmd` and messages. */
  cmd: string;
  cwd?: string | undefined;
  env?: Record<string, string> | undefined;
}

/** How long kill() waits after SIGTERM before SIGKILL, as for processes in containers. */
const KILL_GRACE_MS = 1_000;

/**
 * A process on this machine (the extension's `host` binaries, the `docker`
 * CLI) as a RunningProcess: the same output, backpressure and kill contract
 * as a process in a container, so spawn sessions treat both alike. It runs in
 * its own process group, so kill() takes its children too.
 */
export async function spawnLocal(run: LocalRun): Promise<RunningProcess> {
  const child = spawn(run.file, run.args, {
    cwd: run.cwd,
    env: { ...process.env, ...run.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    await once(child, 'spawn');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && run.cwd !== undefined) throw new GatewayError(404, 'command-not-found', `cannot run ${JSON.stringify(run.cmd)}: ${run.file} or the folder ${run.cwd} does not exist`);
    if (code === 'ENOENT') throw new GatewayError(404, 'command-not-found', `cannot run ${JSON.stringify(run.cmd)}: ${run.file} not found`);
    throw new GatewayError(500, 'internal', `cannot run ${JSON.stringify(run.cmd)}: ${(err as Error).message}`);
  }
  return new LocalProcess(child);
}

class LocalProcess implements RunningProcess {
  readonly output: Readable;
  readonly exited: Promise<ExitStatus>;
  private killing: Promise<void> | undefined;

  constructor(private readonly child: ChildProcess) {
    const sources = { stdout: child.stdout!, stderr: child.stderr! };
    this.output = new Readable({
      objectMode: true,
      highWaterMark: 16,
      read() {
        sources.stdout.resume();
        sources.stderr.resume();
      },
    });
    let open = 2;
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      const push = (text: string) => {
        if (text && !this.output.push({ stream, text } satisfies OutputChunk)) sources[stream].pause();
      };
      sources[stream].on('data', (chunk: Buffer) => push(decoder.write(chunk)));
      sources[stream].on('end', () => {
        push(decoder.end());
        if (--open === 0) this.output.push(null);
      });
    }
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  kill(): Promise<void> {
    this.killing ??= (async () => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return;
      const group = -this.child.pid!;
      const signal = (sig: NodeJS.Signals) => {
        try {
          process.kill(group, sig);
        } catch {
          // already gone
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), KILL_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    })();
    return this.killing;
  }
}

/**
 * Runs to completion, collecting at most `maxOutput` bytes of output; past that the process is killed and the call fails.
 * When `signal` aborts (the caller went away), the process is killed and the call fails.
 */
export async function execLocal(run: LocalRun, maxOutput: number, signal?: AbortSignal): Promise<ExecResult> {
  const proc = await spawnLocal(run);
  const abandon = (): void => void proc.kill();
  signal?.addEventListener('abort', abandon, { once: true });
  if (signal?.aborted) abandon();
  const parts = { stdout: [] as string[], stderr: [] as string[] };
  let size = 0;
  try {
    for await (const chunk of proc.output as AsyncIterable<OutputChunk>) {
      size += chunk.text.length;
      if (size > maxOutput) {
        await proc.kill();
        throw new GatewayError(413, 'output-too-large', `${JSON.stringify(run.cmd)} wrote more than ${maxOutput} bytes: use a streamed exec for large output`);
      }
      parts[chunk.stream].push(chunk.text);
    }
  } finally {
    signal?.removeEventListener('abort', abandon);
  }
  const { code, signal: killedBy } = await proc.exited;
  if (signal?.aborted) throw new GatewayError(503, 'internal', `${JSON.stringify(run.cmd)} was ended: whoever asked for it went away (the page closed, or the gateway is closing)`);
  return { cmd: run.cmd, code, signal: killedBy, killed: false, stdout: parts.stdout.join(''), stderr: parts.stderr.join('') };
}

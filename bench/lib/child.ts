/**
 * The servers under test run as child processes of their own (only two cores
 * here: a server sharing the benchmark's event loop would be measured against
 * it), and so does the gateway whose memory is measured (its RSS is then its own).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS } from '../../src/gateway/node-flags.js';
import { READY } from './ready.js';

/** The bundled children sit next to the bundled main (bench/run.mjs). */
const CHILDREN = join(dirname(fileURLToPath(import.meta.url)), 'children');

/** Every child still running: killed if the benchmark itself exits or is interrupted. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

export interface Child<T> {
  readonly pid: number;
  readonly info: T;
  /** The last lines the child wrote to stderr, for error messages. */
  readonly stderr: string[];
  /** SIGTERM, then SIGKILL after a second; resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts `children/<name>.mjs` with one JSON argument (and `nodeFlags` for
 * node) and waits for its READY line. DDSHIM_BENCH_GATEWAY_FLAGS (node flags,
 * space-separated) is added to every gateway's: to try a flag on every figure.
 */
export async function startChild<T>(name: string, arg: unknown, env: NodeJS.ProcessEnv = process.env, nodeFlags: readonly string[] = name === 'gateway' ? GATEWAY_NODE_FLAGS : []): Promise<Child<T>> {
  const extra = name === 'gateway' ? (process.env.DDSHIM_BENCH_GATEWAY_FLAGS ?? '').split(' ').filter(Boolean) : [];
  const proc = spawn(process.execPath, [...extra, ...nodeFlags, '--enable-source-maps', join(CHILDREN, `${name}.mjs`), JSON.stringify(arg)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 20) stderr.shift();
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.once('exit', (code, signal) => {
    if (!stopping) stderr.push(`(${name} exited on its own: code ${code}, signal ${signal})`);
  });
  let stopping = false;
  const info = await new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith(READY)) resolve(JSON.parse(line.slice(READY.length)) as T);
    });
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`bench child ${name} exited (${code}) before it was ready:\n${stderr.join('\n')}`)));
  });
  return {
    pid: proc.pid!,
    info,
    stderr,
    stop: () => {
      stopping = true;
      return stop(proc, exited);
    },
  };
}

async function stop(proc: ChildProcess, exited: Promise<void>): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(timer);
}

/**
 * A process's resident memory from /proc/<pid>/status, in bytes: `now` (VmRSS),
 * `peak` (VmHWM, the kernel's high-water mark, so no spike between two samples
 * is missed) and `anon` (RssAnon: its own memory, without the pages of the
 * node binary and shared libraries it maps, ~45 MB that every node process
 * shares). Linux only.
 */
export function rss(pid: number): { now: number; peak: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { now: kb('VmRSS'), peak: kb('VmHWM'), anon: kb('RssAnon') };
}

/** Resets a process's VmHWM to its current RSS (`5 > /proc/<pid>/clear_refs`), so a later peak is of what ran since. False when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock-tick resolution). Linux only. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Runs a command to its end; resolves with its exit code, stdout and stderr (never rejects on a non-zero exit). */
export function run(file: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; stdout?: 'pipe' | 'ignore' } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(file, args, { env: opts.env ?? process.env, stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    proc.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    proc.once('error', reject);
    proc.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A real gateway in a child process: for honest memory figures (its RSS is its
// own, not the test runner's), and to stop and start it for real.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { GATEWAY_NODE_FLAGS } from '../../../src/gateway/node-flags.js';
import type { GatewayOptions } from '../../../src/gateway/options.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Bundles gateway-main.ts from src (so never a stale dist/) to a file of its own; dependencies stay in node_modules. */
async function bundle(): Promise<string> {
  const dir = join(REPO, 'node_modules', '.cache', 'ddshim-adversarial');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `gateway-main-${process.pid}-${Math.random().toString(36).slice(2, 10)}.mjs`);
  await esbuild.build({
    entryPoints: [join(REPO, 'test', 'adversarial', 'support', 'gateway-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}

export interface ChildGateway {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Its log lines so far. */
  readonly logs: string[];
  /** Resolves with its exit code (null when signalled). */
  readonly exited: Promise<number | null>;
  /** Resident memory, in bytes: now (VmRSS) and the peak since start or the last resetPeak (VmHWM). */
  memory(): { rss: number; peak: number };
  /** Makes the next `memory().peak` count from now (`5 > /proc/<pid>/clear_refs`); false where not allowed. */
  resetPeak(): boolean;
  /** SIGTERM (the gateway closes as the CLI does), then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts the gateway from src in a child process, with the node flags its
 * command runs with, and these options (JSON:
 * no functions, no Engine object) and resolves once it listens. The served
 * script is dist/'s (`npm run build`).
 */
export async function startChildGateway(options: Omit<GatewayOptions, 'log' | 'engine'> & { engine?: { host: string } }): Promise<ChildGateway> {
  const file = await bundle();
  const opts = { port: 0, scriptFile: join(REPO, 'dist', 'ddclient-shim.js'), ...options };
  const proc: ChildProcess = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, '--enable-source-maps', file, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: REPO });
  const logs: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ready = await new Promise<{ ready: string; port: number }>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as { ready?: string; port?: number; log?: string };
      if (event.log !== undefined) logs.push(event.log);
      if (event.ready !== undefined) resolve(event as { ready: string; port: number });
    });
    proc.once('exit', (code) => reject(new Error(`the child gateway exited (${code}) before listening:\n${stderr.join('\n')}`)));
  }).finally(() => rmSync(file, { force: true })); // loaded by now
  const pid = proc.pid!;
  return {
    url: ready.ready,
    port: ready.port,
    pid,
    logs,
    exited,
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
      return { rss: kb('VmRSS'), peak: kb('VmHWM') };
    },
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const MiB = 1024 * 1024;

/** Prints a figure for docs/security.md, and appends it to test-results/adversarial-figures.txt. */
export function figure(name: string, value: string): void {
  console.log(`[figure] ${name}: ${value}`);
  const file = join(REPO, 'test-results', 'adversarial-figures.txt');
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${new Date().toISOString()} ${name}: ${value}\n`);
}

#!/usr/bin/env node
// `npm run bench` (issue 8): bundles bench/*.ts with esbuild, then runs it.
//
// Why a bundle and not a TypeScript loader (tsx, ts-node): esbuild is already
// the project's compiler (build.mjs), so this adds no dependency; and the
// gateway the benchmarks start as a child process then runs as plain
// JavaScript, with no loader in its memory or startup — its peak RSS is a
// measured figure (bench/memory.ts). The bundle includes src/ from source, so
// the benchmarks always measure the working tree, not a stale dist/cli.js.
//
//   node bench/run.mjs [--quick] [--only=size,service,exec,stream,memory,concurrency] [--no-write]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(repo, 'node_modules', '.cache', 'ddclient-shim-bench');

await esbuild.build({
  absWorkingDir: repo,
  entryPoints: ['bench/main.ts', 'bench/children/backend.ts', 'bench/children/gateway.ts', 'bench/children/http-proxy.ts', 'bench/children/bare-forwarder.ts'],
  outdir,
  outbase: 'bench',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ['node20'],
  // Dependencies load from node_modules as they do for the real gateway.
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});

const child = spawn(process.execPath, ['--enable-source-maps', join(outdir, 'main.mjs'), ...process.argv.slice(2)], { cwd: repo, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

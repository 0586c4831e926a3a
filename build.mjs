// Builds dist/ (issue 2):
// - ddclient-shim.js  the script-tag IIFE, minified, with a source map;
// - ddclient-shim-ui.js  its in-page UI (toasts, the open dialog), which it loads on first use (issue 8);
// - ddclient-shim-spawn.js  its spawn code (the SSE stream), which it loads on a page's first spawn (issue 8);
// - ddclient-shim-offline.js  the same client answering from mocks or a fixture (issue 6);
// - index.js          the ESM entry for pages that import the shim, plus types/;
// - storybook.js      the Storybook decorator, `ddclient-shim/storybook` (issue 6);
// - cli.js            the gateway command (Node).
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

rmSync('dist', { recursive: true, force: true });

const shared = { bundle: true, logLevel: 'warning', legalComments: 'none' };

/**
 * axios picks its XHR adapter in every browser; its fetch adapter (4 KiB of
 * the script's 30 KiB gzipped budget, issue 8) only serves places without
 * XMLHttpRequest, such as service workers, where a script tag never runs.
 * The script-tag build leaves it out; the ESM entry keeps axios whole.
 */
const withoutAxiosFetch = {
  name: 'without-axios-fetch',
  setup(build) {
    build.onLoad({ filter: /axios[\\/]lib[\\/]adapters[\\/]fetch\.js$/ }, () => ({
      contents: 'export const getFetch = () => undefined; export default undefined;',
      loader: 'js',
    }));
  },
};

const [script] = await Promise.all([
  esbuild.build({
    ...shared,
    entryPoints: ['src/shim/script.ts'],
    outfile: 'dist/ddclient-shim.js',
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: true,
    plugins: [withoutAxiosFetch],
    metafile: true,
  }),
  esbuild.build({
    ...shared,
    // The parts the script-tag build imports on first use (src/shim/chunk.ts): each whole on its own.
    entryPoints: { 'ddclient-shim-ui': 'src/shim/ui/script.ts', 'ddclient-shim-spawn': 'src/shim/spawn-script.ts' },
    outdir: 'dist',
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: true,
  }),
  esbuild.build({
    ...shared,
    entryPoints: ['src/shim/offline-script.ts'],
    outfile: 'dist/ddclient-shim-offline.js',
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    sourcemap: true,
  }),
  esbuild.build({
    ...shared,
    // index.js, and storybook.js: the `ddclient-shim/storybook` decorator (issue 6).
    entryPoints: { index: 'src/shim/index.ts', storybook: 'src/shim/storybook.ts' },
    outdir: 'dist',
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    // Pages that import us bring their own bundler: leave our dependencies to it.
    packages: 'external',
    sourcemap: true,
  }),
  esbuild.build({
    ...shared,
    entryPoints: ['src/gateway/bin.ts'],
    outfile: 'dist/cli.js',
    format: 'esm',
    platform: 'node',
    target: ['node20'],
    packages: 'external',
    sourcemap: true,
  }),
]);

// The bin runs as a command (its shebang carries the gateway's node flags: src/gateway/node-flags.ts).
chmodSync('dist/cli.js', 0o755);

// Which input put how many bytes into the script: the size benchmark's breakdown (bench/size.ts).
writeFileSync('dist/ddclient-shim.meta.json', JSON.stringify(script.metafile));

// Declarations for the ESM entry only; the gateway is a command, not a library (yet).
execFileSync('npx', ['tsc', '-p', 'tsconfig.types.json'], { stdio: 'inherit' });

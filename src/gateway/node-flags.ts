/**
 * The node flags the gateway runs with: `dist/cli.js`'s shebang carries them
 * (`#!/usr/bin/env -S node …`, kept equal by test/gateway/cli.test.ts), and
 * the benchmarks and `npm start` start it with them.
 *
 * `--max-semi-space-size=4` (MB): V8's young generation grows to 2 × 16 MB
 * while a spawn streams at full speed, and stays that size, which put the
 * gateway's peak RSS under a slow reader at 107–119 MB; with 4 MB it is
 * 80–92 MB (issue 8, target ≤ 100 MB; docs/benchmarks.md, 5a). The cost is
 * more scavenges: 5–12 % more instructions a proxied service call
 * (callgrind; docs/benchmarks.md, 2). V8 rounds semi-spaces to a power of
 * two, and 8 MB peaks at 100–104 MB.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

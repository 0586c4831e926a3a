#!/usr/bin/env -S node --max-semi-space-size=4
// The flags are GATEWAY_NODE_FLAGS (node-flags.ts), kept equal by test/gateway/cli.test.ts.
import { runCli } from './cli.js';

void runCli(process.argv.slice(2));

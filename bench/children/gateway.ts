// A gateway in a process of its own (bench/lib/child.ts): started with
// startGateway from the source tree, options as one JSON argument. Its engine
// is DOCKER_HOST from the environment the benchmark gives it.
import { READY } from '../lib/ready.js';
import { startGateway } from '../../src/gateway/server.js';
import type { GatewayOptions } from '../../src/gateway/options.js';

const options = JSON.parse(process.argv[2] ?? '{}') as GatewayOptions;
const gateway = await startGateway({ ...options, port: 0, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${READY}${JSON.stringify({ url: gateway.url })}\n`);
process.on('SIGTERM', () => {
  void gateway.close().finally(() => process.exit(0));
});

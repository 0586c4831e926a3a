// The gateway in a process of its own (child-gateway.ts bundles and runs this),
// so its memory is measured alone and it can be killed and restarted for real.
// argv[2]: GatewayOptions as JSON. stdout: one JSON line per event —
// {"ready": url, "port"} once listening, {"log": line} per log line.
// SIGTERM closes it as the CLI does; so does losing its parent (the IPC channel).
import { startGateway } from '../../../src/gateway/server.js';
import type { GatewayOptions } from '../../../src/gateway/options.js';

const options = JSON.parse(process.argv[2] ?? '{}') as GatewayOptions;
const out = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
const gateway = await startGateway({ ...options, log: (line) => out({ log: line }) });
out({ ready: gateway.url, port: gateway.port });

let stopping: Promise<void> | undefined;
process.once('SIGTERM', () => void (stopping ??= gateway.close().then(() => process.exit(0))));
// Never linger after the test runner that started us.
process.on('disconnect', () => void (stopping ??= gateway.close().then(() => process.exit(0))));

import { parseArgs } from 'node:util';
import { SCRIPT_PATH } from '../protocol.js';
import type { GatewayOptions } from './options.js';
import { DEFAULTS } from './options.js';
import { startGateway } from './server.js';
import { VERSION } from './version.js';

const HELP = `ddclient-shim ${VERSION}: run a Docker Desktop extension's UI in any browser.

Usage:
  ddclient-shim gateway [options]

Options:
  --port <n>              port to listen on (default ${DEFAULTS.port}; 0 picks a free one)
  --host <address>        address to listen on (default ${DEFAULTS.host}; keep it loopback)
  --backend <url>         the extension's backend: http://host:port or unix:/path/to.sock
  --vm-container <name>   the extension's backend container (execInVMExtension, extension.vm.cli)
  --host-dir <dir>        the extension's host folder (execHostCmd, extension.host.cli)
  --ui <dir>              serve this folder (the extension's UI) at /
  --allow-origin <origin> also accept pages from this exact origin (repeatable)
  --token <secret>        require this secret in the x-ddshim-token header
                          (or set DDSHIM_TOKEN, which other users cannot see in ps)
  --max-body <bytes>      request body limit (default ${DEFAULTS.maxBody})
  --backend-timeout <ms>  backend answer timeout (default ${DEFAULTS.backendTimeout})
  --max-spawns <n>        processes running through spawn at once (default ${DEFAULTS.maxSpawns})
  --record <file>         record every call to this fixture file, for install({ replay })
  --extension-image <ref> what ddClient.extension.image reports (default ${DEFAULTS.extensionImage})
  -h, --help              this text

The Docker engine is found like the docker CLI finds it: DOCKER_HOST, else the current context.
`;

/** Parses argv into GatewayOptions, or throws a TypeError that says which flag is wrong. */
export function parseCli(argv: string[]): { help: true } | { help: false; options: GatewayOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      backend: { type: 'string' },
      'vm-container': { type: 'string' },
      ui: { type: 'string' },
      'host-dir': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      token: { type: 'string' },
      'max-body': { type: 'string' },
      'backend-timeout': { type: 'string' },
      'max-spawns': { type: 'string' },
      'extension-image': { type: 'string' },
      record: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) return { help: true };
  if (positionals[0] !== 'gateway' || positionals.length > 1) throw new TypeError(`unknown command "${positionals.join(' ')}": the one command is "gateway"`);
  const int = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`--${flag} takes a whole number, not "${value}"`);
    return n;
  };
  const options: GatewayOptions = {};
  const set = <K extends keyof GatewayOptions>(key: K, value: GatewayOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('port', int('port', values.port));
  set('host', values.host);
  set('backend', values.backend);
  set('vmContainer', values['vm-container']);
  set('uiDir', values.ui);
  set('hostDir', values['host-dir']);
  set('allowOrigins', values['allow-origin']);
  set('token', values.token ?? (process.env.DDSHIM_TOKEN || undefined));
  set('maxBody', int('max-body', values['max-body']));
  set('backendTimeout', int('backend-timeout', values['backend-timeout']));
  set('maxSpawns', int('max-spawns', values['max-spawns']));
  set('extensionImage', values['extension-image']);
  set('record', values.record);
  return { help: false, options };
}

/** The `ddclient-shim` command: parses argv, starts the gateway, prints where it listens, stops on SIGINT/SIGTERM. */
export async function runCli(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    process.stderr.write(`ddclient-shim: ${(err as Error).message}\nRun \`ddclient-shim --help\` for the options.\n`);
    process.exit(2);
  }
  if (parsed.help) return void process.stdout.write(HELP);
  const { options } = parsed;
  let gateway;
  try {
    gateway = await startGateway(options);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${options.port ?? DEFAULTS.port} is in use: is a gateway already running? Pick another with --port` : e.message;
    process.stderr.write(`ddclient-shim: cannot start the gateway: ${why}\n`);
    process.exit(1);
  }
  const tokenAttr = options.token === undefined ? '' : ` data-token="${options.token}"`;
  process.stdout.write(
    [
      `ddclient-shim gateway ${VERSION} listening on ${gateway.url}`,
      `  service calls → ${options.backend ?? 'nowhere (no --backend)'}`,
      `  exec, spawn   → Docker engine ${process.env.DOCKER_HOST ?? '(docker context)'}${options.vmContainer ? `, vm container ${options.vmContainer}` : ''}`,
      ...(options.uiDir ? [`  UI            → ${gateway.url}/ (from ${options.uiDir})`] : []),
      'Paste at the top of your page\'s <head>:',
      `  <script src="${gateway.url}${SCRIPT_PATH}"${tokenAttr}></script>`,
      '',
    ].join('\n'),
  );
  // Once, however many signals arrive (Ctrl-C, then a supervisor's SIGTERM): a second
  // close must not exit before the first has ended the processes in containers.
  let stopping: Promise<void> | undefined;
  const stop = () => void (stopping ??= gateway.close().then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}


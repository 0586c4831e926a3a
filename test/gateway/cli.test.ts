import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/gateway/cli.js';
import { GATEWAY_NODE_FLAGS } from '../../src/gateway/node-flags.js';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

// The gateway command's flags (issue 2): each maps onto one GatewayOptions field,
// and a wrong value says which flag is wrong.
describe('ddclient-shim gateway flags', () => {
  it('maps every flag onto the gateway options', () => {
    const parsed = parseCli([
      'gateway', '--port', '0', '--host', '127.0.0.1', '--backend', 'unix:/tmp/b.sock', '--vm-container', 'ext',
      '--ui', 'ui', '--host-dir', 'host', '--allow-origin', 'http://a.example', '--allow-origin', 'http://b.example',
      '--token', 't', '--max-body', '1024', '--backend-timeout', '500', '--max-spawns', '3', '--extension-image', 'acme/ext:1', '--record', 'f.json',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        port: 0, host: '127.0.0.1', backend: 'unix:/tmp/b.sock', vmContainer: 'ext', uiDir: 'ui', hostDir: 'host',
        allowOrigins: ['http://a.example', 'http://b.example'], token: 't', maxBody: 1024, backendTimeout: 500, maxSpawns: 3,
        extensionImage: 'acme/ext:1', record: 'f.json',
      },
    });
  });

  it('shows the help with no command or with --help', () => {
    expect(parseCli([])).toEqual({ help: true });
    expect(parseCli(['gateway', '--help'])).toEqual({ help: true });
  });

  it.each([
    [['gateway', '--port', 'eighty'], /--port takes a whole number, not "eighty"/],
    [['gateway', '--max-body', '1.5'], /--max-body takes a whole number, not "1.5"/],
    [['serve'], /unknown command "serve"/],
    [['gateway', '--no-such-flag'], /no-such-flag/],
  ])('refuses %j, naming what is wrong', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});

// The installed command runs with the gateway's node flags (node-flags.ts: its memory bound, issue 8).
describe('dist/cli.js', () => {
  it('carries GATEWAY_NODE_FLAGS in its shebang and runs as a command', async () => {
    expect(readFileSync(CLI, 'utf8').split('\n', 1)[0]).toBe(`#!/usr/bin/env -S node ${GATEWAY_NODE_FLAGS.join(' ')}`);
    accessSync(CLI, constants.X_OK);
    const { stdout } = await promisify(execFile)(CLI, ['--help']);
    expect(stdout).toMatch(/ddclient-shim gateway \[options\]/);
  });
});

import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/shim/config.js';
import { DEFAULT_GATEWAY_URL, type GatewayInfo } from '../../src/protocol.js';

const info: GatewayInfo = { version: '1', host: { platform: 'linux', arch: 'x64', hostname: 'h' }, extension: { image: 'i' }, capabilities: [] };
const served = { gateway: 'http://127.0.0.1:7000', info };

// The configuration order of issue 2: install() options, data-* attributes,
// ?ddGateway=, the gateway that served the script, the default.
describe('resolveConfig', () => {
  it.each([
    ['install() options first', { options: { gateway: 'http://a:1' }, script: { dataset: { gateway: 'http://b:2' } }, search: '?ddGateway=http://c:3', served }, 'http://a:1'],
    ['then data-gateway', { script: { dataset: { gateway: 'http://b:2' } }, search: '?ddGateway=http://c:3', served }, 'http://b:2'],
    ['then ?ddGateway=', { script: { dataset: {} }, search: '?x=1&ddGateway=http://c:3', served }, 'http://c:3'],
    ['then the serving gateway', { script: { dataset: {} }, search: '', served }, 'http://127.0.0.1:7000'],
    ['then the default', {}, DEFAULT_GATEWAY_URL],
  ])('%s', (_, sources, gateway) => {
    expect(resolveConfig(sources).gateway).toBe(gateway);
  });

  it('takes the token from options, then data-token, never from the page URL', () => {
    expect(resolveConfig({ options: { token: 't1' }, script: { dataset: { token: 't2' } } }).token).toBe('t1');
    expect(resolveConfig({ script: { dataset: { token: 't2' } } }).token).toBe('t2');
    expect(resolveConfig({ search: '?ddToken=t3&token=t3' }).token).toBeUndefined();
  });

  it('uses baked host info only for the gateway that baked it', () => {
    expect(resolveConfig({ served }).info).toBe(info);
    expect(resolveConfig({ served, search: '?ddGateway=http://other:1' }).info).toBeUndefined();
  });
});

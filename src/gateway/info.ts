import { hostname } from 'node:os';
import type { GatewayInfo } from '../protocol.js';
import { VERSION } from './version.js';

/** What `GET info` answers and the served script carries: the host as Docker Desktop reports it (Node's platform and arch). */
export function gatewayInfo(opts: { extensionImage: string; capabilities: string[] }): GatewayInfo {
  return {
    version: VERSION,
    host: { platform: process.platform, arch: process.arch, hostname: hostname() },
    extension: { image: opts.extensionImage },
    capabilities: opts.capabilities,
  };
}

export { startGateway, type Gateway } from './server.js';
export type { GatewayOptions } from './options.js';
export { DEFAULTS } from './options.js';

export { install, type InstallOptions } from './install.js';
export type { DockerDesktopClient } from './client.js';
export type { BackendV0, HttpService } from './backend.js';
export type { ExecResultV0 } from './exec-result.js';
export type { ServiceError } from './errors.js';
export { GatewayError, GatewayUnreachableError } from './errors.js';

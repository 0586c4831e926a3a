export { install, type InstallOptions } from './esm-install.js';
export type { GatewayInstallOptions } from './install.js';
export type { DockerDesktopClient } from './client.js';
export type { BackendV0, HttpService } from './backend.js';
export type { ExecResultV0 } from './exec-result.js';
export type { ServiceError } from './errors.js';
export { GatewayError, GatewayUnreachableError } from './errors.js';
export { reply, type MockHandlers, type MockExec, type MockSpawn, type MockReply, type MockServiceRequest } from './offline/mock.js';
export type { Fixture, FixtureCall } from '../protocol.js';

import { GATEWAY_START_COMMAND } from '../protocol.js';

/**
 * Docker Desktop's rejection of a non-2xx service call (DDCLIENT-SEMANTICS §2.1):
 * a plain object, `message` the raw response body (extensions do
 * `JSON.parse(error.message)`), `name` the status text.
 */
export interface ServiceError {
  name: string;
  message: string;
  statusCode: number;
}

/** The gateway could not be reached at all: say where we looked and how to start it. */
export class GatewayUnreachableError extends Error {
  override name = 'GatewayUnreachableError';
  constructor(readonly gateway: string, what: string) {
    super(`ddclient-shim: ${what} failed: the gateway at ${gateway} is not reachable. Start it with \`${GATEWAY_START_COMMAND}\`, or point the shim at another (data-gateway on the script tag, ?ddGateway= on the page).`);
  }
}

/** The gateway answered with an error of its own (protocol: x-ddshim-error): its message says what to do. */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(readonly code: string, message: string, readonly statusCode: number) {
    super(message);
  }
}

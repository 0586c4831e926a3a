import type { GatewayErrorBody, GatewayErrorCode } from '../protocol.js';

/**
 * A failure of the gateway itself, with the HTTP status it is answered with.
 * Its message is shown to the extension developer as it is: say what failed,
 * where, and what to do.
 */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly status: number,
    readonly code: GatewayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toBody(): GatewayErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Any thrown value as a GatewayError; unknown failures become a 500 that keeps their message. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GatewayError(500, 'internal', `gateway internal error: ${message}`, { cause: err });
}

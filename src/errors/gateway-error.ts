import { ERROR_TABLE, type ErrorCode } from "./codes.js";

export interface GatewayErrorOptions {
  /** The request field at fault, reported as `param`. */
  param?: string | null;
  /** Seconds a client should wait before retrying (429/503), sent as `Retry-After`. */
  retryAfter?: number;
  /** Overrides the table's status (e.g. an upstream's own 4xx passed through). */
  status?: number;
  /** Overrides the table's retryable flag (e.g. a connection error after the first byte is not). */
  retryable?: boolean;
  cause?: unknown;
}

/** Every failure the gateway reports. The message is shown to the client: it must never hold a secret. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly param: string | null;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    const row = ERROR_TABLE[code];
    this.code = code;
    this.status = options.status ?? row.status;
    this.retryable = options.retryable ?? row.retryable;
    this.param = options.param ?? null;
    this.retryAfter = options.retryAfter;
  }
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

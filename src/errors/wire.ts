import { ERROR_TABLE } from "./codes.js";
import { GatewayError } from "./gateway-error.js";

export interface WireError {
  error: { message: string; type: string; code: string; param: string | null };
}

/** Normalises anything thrown into a GatewayError; unknown errors become `internal` with a generic message. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError("internal", "The gateway failed to handle this request; see the server log for its request id.", {
    cause: err,
  });
}

/** OpenAI's error body: `{"error": {"message", "type", "code", "param"}}`. */
export function wireError(err: GatewayError): WireError {
  const row = ERROR_TABLE[err.code];
  return { error: { message: err.message, type: row.type, code: row.code, param: err.param } };
}

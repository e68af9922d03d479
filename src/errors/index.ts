export { ERROR_TABLE, type ErrorCode } from "./codes.js";
export { GatewayError, isGatewayError, type GatewayErrorOptions } from "./gateway-error.js";
export { toGatewayError, wireError, type WireError } from "./wire.js";

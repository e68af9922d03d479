// The closed set of error codes and their HTTP mapping: the one table the error boundary reads.
// `retryable` is the only thing the router consults to decide whether another attempt may help.

export const ERROR_TABLE = {
  invalid_request: { status: 400, type: "invalid_request_error", code: "invalid_request", retryable: false },
  content_policy_violation: { status: 400, type: "invalid_request_error", code: "content_policy_violation", retryable: false },
  authentication: { status: 401, type: "authentication_error", code: "invalid_api_key", retryable: false },
  permission: { status: 403, type: "permission_error", code: "permission_denied", retryable: false },
  not_found: { status: 404, type: "invalid_request_error", code: "not_found", retryable: false },
  model_not_found: { status: 404, type: "invalid_request_error", code: "model_not_found", retryable: false },
  method_not_allowed: { status: 405, type: "invalid_request_error", code: "method_not_allowed", retryable: false },
  request_timeout: { status: 408, type: "invalid_request_error", code: "request_timeout", retryable: false },
  payload_too_large: { status: 413, type: "invalid_request_error", code: "payload_too_large", retryable: false },
  unsupported_media_type: { status: 415, type: "invalid_request_error", code: "unsupported_media_type", retryable: false },
  rate_limit_exceeded: { status: 429, type: "rate_limit_exceeded", code: "rate_limit_exceeded", retryable: true },
  insufficient_quota: { status: 429, type: "insufficient_quota", code: "insufficient_quota", retryable: false },
  /** The upstream refused the request itself (a 4xx other than 408/429): the client's request is at fault. */
  upstream_rejected: { status: 400, type: "invalid_request_error", code: "upstream_rejected", retryable: false },
  upstream_error: { status: 502, type: "upstream_error", code: "upstream_error", retryable: true },
  overloaded: { status: 503, type: "overloaded_error", code: "overloaded", retryable: true },
  no_backend: { status: 503, type: "service_unavailable", code: "no_backend_available", retryable: false },
  upstream_timeout: { status: 504, type: "timeout_error", code: "upstream_timeout", retryable: true },
  internal: { status: 500, type: "server_error", code: "internal_error", retryable: false },
} as const satisfies Record<string, { status: number; type: string; code: string; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

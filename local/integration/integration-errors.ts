/**
 * The two ways an integration call fails without an HTTP answer. The gateway maps them the way API
 * Gateway does: a timeout to 504 (INTEGRATION_TIMEOUT), anything else on the wire to 502/5xx at once
 * (INTEGRATION_FAILURE). An HTTP answer, even 4xx/5xx, is not an error: it is returned.
 */

/** The backend did not answer within the integration timeout (29 s by default, as in API Gateway). */
export class IntegrationTimeoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IntegrationTimeoutError';
  }
}

/** The backend could not be reached or dropped the connection (refused, reset, DNS, TLS). */
export class IntegrationNetworkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IntegrationNetworkError';
  }
}

/**
 * The backend's answer is larger than API Gateway's 10 MB payload limit (API Gateway quotas:
 * "Payload size 10 MB", not raisable): it is cut off unread, never buffered whole, and the gateway
 * answers 502 as it does for an answer it cannot use.
 */
export class IntegrationResponseTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrationResponseTooLargeError';
  }
}

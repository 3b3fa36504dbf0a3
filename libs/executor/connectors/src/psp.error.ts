export enum PspErrorCode {
  Unavailable = 'psp_unavailable',
  UnknownOutcome = 'psp_unknown_outcome',
  UnexpectedResponse = 'psp_unexpected_response',
  RejectedRequest = 'psp_rejected_request',
  InvalidWebhook = 'psp_invalid_webhook',
  UnknownPsp = 'psp_unknown',
  InvalidSettings = 'psp_invalid_settings',
}

/** Base of every connector error; `code` says how the caller must treat it. */
export abstract class PspError extends Error {
  abstract readonly code: PspErrorCode;

  constructor(
    readonly pspId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${pspId}: ${message}`, options);
    this.name = new.target.name;
  }
}

/**
 * The PSP certainly did not process the request: the connection was refused before anything was
 * sent, or it answered 503/429 before processing. Sending the same request again is safe.
 */
export class PspUnavailableError extends PspError {
  readonly code = PspErrorCode.Unavailable;

  constructor(
    pspId: string,
    message: string,
    /** From the PSP's Retry-After header, when it sent one. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(pspId, message, options);
  }
}

/**
 * The request may have been processed: it timed out or the connection broke after it was sent,
 * or the PSP answered another 5xx. Resolve it by inquiry with the same key; never charge anew.
 */
export class PspUnknownOutcomeError extends PspError {
  readonly code: PspErrorCode = PspErrorCode.UnknownOutcome;
}

/**
 * The PSP answered, but with something this connector does not understand (an unknown status, a
 * missing field, a body that is not JSON). Treated as an unknown outcome, never as a guess.
 */
export class PspProtocolError extends PspUnknownOutcomeError {
  override readonly code = PspErrorCode.UnexpectedResponse;
}

/** The PSP refused the request as ours to fix (credentials, invalid body, conflict); nothing moved. */
export class PspRejectedRequestError extends PspError {
  readonly code = PspErrorCode.RejectedRequest;

  constructor(
    pspId: string,
    message: string,
    /** The HTTP status or the PSP's own error code. */
    readonly pspCode: string,
    options?: ErrorOptions,
  ) {
    super(pspId, message, options);
  }
}

export enum WebhookRejection {
  MissingSignature = 'missing_signature',
  MalformedSignature = 'malformed_signature',
  InvalidSignature = 'invalid_signature',
  StaleTimestamp = 'stale_timestamp',
  MalformedPayload = 'malformed_payload',
}

/** A notification that must not be acted on; the receiver answers 4xx (or 400/401) and moves on. */
export class PspWebhookError extends PspError {
  readonly code = PspErrorCode.InvalidWebhook;

  constructor(
    pspId: string,
    readonly rejection: WebhookRejection,
    message: string,
  ) {
    super(pspId, message);
  }
}

/** Asked for a PSP no connector is configured for, or given unusable settings. */
export class PspConfigurationError extends PspError {
  constructor(
    pspId: string,
    readonly code: PspErrorCode.UnknownPsp | PspErrorCode.InvalidSettings,
    message: string,
  ) {
    super(pspId, message);
  }
}

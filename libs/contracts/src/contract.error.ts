export enum ContractErrorCode {
  UnknownEventType = 'unknown_event_type',
  InvalidPayload = 'invalid_payload',
  SubjectMismatch = 'subject_mismatch',
  InvalidEnvelope = 'invalid_envelope',
  InvalidTime = 'invalid_time',
  DuplicateEventType = 'duplicate_event_type',
  InvalidEventTypeDefinition = 'invalid_event_type_definition',
  InvalidTopicOverride = 'invalid_topic_override',
  UnknownTopic = 'unknown_topic',
  UnsupportedSchema = 'unsupported_schema',
  BreakingChange = 'breaking_change',
}

/** One failed rule: where (a dotted path into the payload, '' for the root) and which constraint. */
export interface ContractViolation {
  readonly path: string;
  readonly constraint: string;
  readonly message: string;
}

export function formatViolations(violations: readonly ContractViolation[]): string {
  return violations.map((violation) => `${violation.path || '(root)'}: ${violation.message}`).join('; ');
}

export class ContractError extends Error {
  override readonly name = 'ContractError';

  constructor(
    readonly code: ContractErrorCode,
    message: string,
    readonly violations: readonly ContractViolation[] = [],
  ) {
    super(violations.length > 0 ? `${message}: ${formatViolations(violations)}` : message);
  }
}

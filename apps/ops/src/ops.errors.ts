import { DomainError } from '@keel/observability';

/** The problems ops' API answers with; codes are the last segment of the type URI. */
export const OpsProblemCode = {
  INVALID_RULES: 'invalid-detection-rules',
  INCIDENT_NOT_FOUND: 'incident-not-found',
  INCIDENT_RESOLVED: 'incident-already-resolved',
  INVALID_ROUTES: 'invalid-routes',
  HOLD_NOT_FOUND: 'hold-not-found',
  EXECUTOR_UNAVAILABLE: 'executor-unavailable',
} as const;

/** Every problem of a rule set at once, so an operator fixes them in one go. */
export class InvalidDetectionRulesError extends DomainError {
  constructor(problems: readonly string[]) {
    super({
      code: OpsProblemCode.INVALID_RULES,
      status: 422,
      title: 'Invalid detection rules',
      detail: `The rule set has ${problems.length} problem(s); nothing was changed.`,
      extensions: { problems },
    });
  }
}

export class IncidentNotFoundError extends DomainError {
  constructor(incidentId: string) {
    super({
      code: OpsProblemCode.INCIDENT_NOT_FOUND,
      status: 404,
      title: 'Incident not found',
      detail: `No incident ${JSON.stringify(incidentId)}.`,
    });
  }
}

export class IncidentResolvedError extends DomainError {
  constructor(incidentId: string) {
    super({
      code: OpsProblemCode.INCIDENT_RESOLVED,
      status: 409,
      title: 'Incident already resolved',
      detail: `Incident ${incidentId} is resolved; it takes notes and post-mortem fields, not this change.`,
    });
  }
}

export class InvalidRoutesError extends DomainError {
  constructor(problems: readonly string[]) {
    super({
      code: OpsProblemCode.INVALID_ROUTES,
      status: 422,
      title: 'Invalid routes',
      detail: problems.join('; '),
      extensions: { problems },
    });
  }
}

export class HoldNotFoundError extends DomainError {
  constructor(methodType: string, provider: string) {
    super({
      code: OpsProblemCode.HOLD_NOT_FOUND,
      status: 404,
      title: 'Hold not found',
      detail: `Nobody holds ${methodType}/${provider}.`,
    });
  }
}

/** The executor did not read or take the routing table: nothing was changed or recorded. */
export class ExecutorUnavailableError extends DomainError {
  constructor(detail: string) {
    super({
      code: OpsProblemCode.EXECUTOR_UNAVAILABLE,
      status: 503,
      title: 'Executor unavailable',
      detail: `The executor's routing table could not be changed: ${detail}. Nothing was changed.`,
      retryAfterS: 5,
    });
  }
}

import { DomainError } from '@keel/observability';

export class InvalidRoutesError extends DomainError {
  constructor(detail: string) {
    super({ code: 'invalid_routes', status: 422, title: 'Invalid routing table', detail });
  }
}

import { ArgumentsHost, Catch, ExceptionFilter, Inject, Optional } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Observable, throwError } from 'rxjs';
import { DomainError } from './domain.error';
import { OBSERVABILITY_LOGGER, OBSERVABILITY_OPTIONS } from './observability.constants';
import type { ObservabilityModuleOptions, UnavailableErrors } from './observability.options';
import { ProblemDetails, writeProblem } from './problem';
import { problemFromException, unavailableProblem } from './problem-mapping.util';
import { currentContext } from './trace-context';

/**
 * Answers every error of an HTTP request as RFC 9457 problem+json, with Retry-After when the error
 * says when to retry (the only place that header is set for an error). Server-side failures are
 * logged with their stack; what the client sees of an unknown error is only that it happened.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    @Optional() @Inject(OBSERVABILITY_OPTIONS) private readonly options?: ObservabilityModuleOptions,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    // Kafka and other transports must see the error to retry or dead-letter the message.
    if (host.getType() !== 'http') return throwError(() => exception);
    const correlationId = currentContext()?.correlationId;
    const unavailable = this.unavailableMatching(exception);
    const problem: ProblemDetails = {
      ...(unavailable === undefined ? problemFromException(exception) : unavailableProblem(unavailable.code)),
      ...(correlationId === undefined ? {} : { correlationId }),
    };
    if (unavailable !== undefined) {
      this.logger.warn({ err: exception, status: problem.status }, 'request met an unavailable dependency');
    } else if (problem.status >= 500 && !(exception instanceof DomainError)) {
      // A DomainError is an answer the service chose (a 503 when it sheds load, say), not a failure:
      // logging each one at error would flood the log exactly when the service is overloaded.
      this.logger.error({ err: exception, status: problem.status }, 'request failed');
    }
    const response = host.switchToHttp().getResponse<ServerResponse>();
    if (response.headersSent) {
      // Part of a response is already out; a second one cannot follow, so the connection is cut.
      response.destroy();
      return;
    }
    const retryAfterS = unavailable?.retryAfterS ?? retryAfterOf(exception);
    if (retryAfterS !== undefined) response.setHeader('Retry-After', String(retryAfterS));
    writeProblem(response, problem);
  }

  private unavailableMatching(exception: unknown): UnavailableErrors | undefined {
    const unavailable = this.options?.unavailableErrors;
    return unavailable?.matches(exception) === true ? unavailable : undefined;
  }
}

function retryAfterOf(exception: unknown): number | undefined {
  return exception instanceof DomainError ? exception.retryAfterS : undefined;
}

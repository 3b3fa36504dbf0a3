import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Observable, throwError } from 'rxjs';
import { DomainError } from './domain.error';
import { OBSERVABILITY_LOGGER } from './observability.constants';
import { ProblemDetails, writeProblem } from './problem';
import { problemFromException } from './problem-mapping.util';
import { currentContext } from './trace-context';

/**
 * Answers every error of an HTTP request as RFC 9457 problem+json. Server-side failures are logged
 * with their stack; what the client sees of an unknown error is only that it happened.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    // Kafka and other transports must see the error to retry or dead-letter the message.
    if (host.getType() !== 'http') return throwError(() => exception);
    const correlationId = currentContext()?.correlationId;
    const problem: ProblemDetails = {
      ...problemFromException(exception),
      ...(correlationId === undefined ? {} : { correlationId }),
    };
    // A DomainError is an answer the service chose (a 503 when it sheds load, say), not a failure:
    // logging each one at error would flood the log exactly when the service is overloaded.
    if (problem.status >= 500 && !(exception instanceof DomainError)) {
      this.logger.error({ err: exception, status: problem.status }, 'request failed');
    }
    const response = host.switchToHttp().getResponse<ServerResponse>();
    if (response.headersSent) {
      // Part of a response is already out; a second one cannot follow, so the connection is cut.
      response.destroy();
      return;
    }
    writeProblem(response, problem);
  }
}

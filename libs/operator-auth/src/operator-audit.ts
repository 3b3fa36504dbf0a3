import {
  applyDecorators,
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import {
  currentContext,
  maskPans,
  OBSERVABILITY_LOGGER,
  problemFromException,
  type Logger,
} from '@keel/observability';
import type { OperatorRequest } from './operator-guard';
import type { OperatorActor } from './operator-token';

/** The longest target kept: targets name an object (a merchant, a key prefix), never a payload. */
export const AUDIT_TARGET_LENGTH_MAX = 200;

/** One operator write: who, with which token, did what to what, in which request, and how it ended. */
export interface OperatorAuditEntry {
  readonly actor: OperatorActor;
  /** What was done, `<surface>.<verb>`, e.g. `routes.replace`. */
  readonly action: string;
  /** What it was done to, e.g. `merchant:merchant_1`. */
  readonly target: string;
  readonly correlationId: string | null;
  /** The HTTP status the operator was answered with. */
  readonly status: number;
}

/**
 * Table operator_audit of a service with operator writes: append-only, one row per write.
 * CREATE_OPERATOR_AUDIT_TABLE is what each such service's migration runs.
 */
export const OPERATOR_AUDIT_TABLE = 'operator_audit';

export const CREATE_OPERATOR_AUDIT_TABLE = [
  `CREATE TABLE ${OPERATOR_AUDIT_TABLE} (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     at timestamptz NOT NULL DEFAULT now(),
     actor text NOT NULL,
     role text NOT NULL,
     token_id text NOT NULL,
     action text NOT NULL,
     target text NOT NULL,
     correlation_id text,
     status smallint NOT NULL
   )`,
  `CREATE INDEX operator_audit_at ON ${OPERATOR_AUDIT_TABLE} (at)`,
] as const;

export const DROP_OPERATOR_AUDIT_TABLE = `DROP TABLE ${OPERATOR_AUDIT_TABLE}`;

/** Records operator writes: a structured log line and a row of operator_audit. */
@Injectable()
export class OperatorAuditRecorder {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async record(entry: OperatorAuditEntry): Promise<void> {
    const target = maskPans(entry.target).slice(0, AUDIT_TARGET_LENGTH_MAX);
    const { actor } = entry;
    // The log line first: it survives a database that refuses the row.
    this.logger.info(
      {
        audit: {
          actor: actor.name,
          role: actor.role,
          tokenId: actor.tokenId,
          action: entry.action,
          target,
          status: entry.status,
        },
      },
      'operator write',
    );
    await this.dataSource.query(
      `INSERT INTO ${OPERATOR_AUDIT_TABLE} (actor, role, token_id, action, target, correlation_id, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [actor.name, actor.role, actor.tokenId, entry.action, target, entry.correlationId, entry.status],
    );
  }
}

interface AuditSpec {
  readonly action: string;
  readonly targetOf: (request: OperatorRequest) => string;
}

const OPERATOR_AUDIT = 'keel:operator-audit';

/**
 * Audits the routes marked @OperatorAudited: once the handler has answered or failed, and before
 * the answer leaves, the write is recorded with its actor and outcome status. A refusal by the
 * guard (401, 403) is no write and is not recorded; a write whose record cannot be stored answers
 * 5xx, so an operator is never told a write succeeded that the audit does not hold.
 */
@Injectable()
export class OperatorAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly recorder: OperatorAuditRecorder,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(OPERATOR_AUDIT, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<OperatorRequest>();
    const response = http.getResponse<ServerResponse>();
    const actor = request.operator;
    if (spec === undefined || actor === undefined) {
      throw new Error('@OperatorAudited needs @OperatorAccess on the same route');
    }
    const entryOf = (status: number): OperatorAuditEntry => ({
      actor,
      action: spec.action,
      target: spec.targetOf(request),
      correlationId: currentContext()?.correlationId ?? null,
      status,
    });
    return from(
      (async () => {
        let result: unknown;
        try {
          result = await lastValueFrom(next.handle(), { defaultValue: undefined });
        } catch (error) {
          await this.recorder
            .record(entryOf(problemFromException(error).status))
            .catch((auditError: unknown) =>
              this.logger.error({ err: auditError }, 'operator write not recorded in operator_audit'),
            );
          throw error;
        }
        await this.recorder.record(entryOf(response.statusCode));
        return result;
      })(),
    );
  }
}

/**
 * Every call of the route so marked is an operator write, recorded as `action` on the target
 * `targetOf` names (from the request's path, query or body). Goes with @OperatorAccess.
 */
export function OperatorAudited(
  action: string,
  targetOf: (request: OperatorRequest) => string,
): MethodDecorator {
  return applyDecorators(
    SetMetadata(OPERATOR_AUDIT, { action, targetOf } satisfies AuditSpec),
    UseInterceptors(OperatorAuditInterceptor),
  );
}

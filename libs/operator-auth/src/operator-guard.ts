import {
  applyDecorators,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerTokenOf } from '@keel/api-keys';
import { OperatorProblem, OperatorProblemCode } from './operator-auth.errors';
import { roleSatisfies, type OperatorRole } from './operator-role';
import {
  OPERATOR_TOKEN_PREFIX,
  verifyOperatorToken,
  type OperatorActor,
  type OperatorTokenRefusal,
  type OperatorTokenSettings,
} from './operator-token';

/** The injection token of the service's OperatorTokenSettings (OperatorAuthModule provides it). */
export const OPERATOR_TOKEN_SETTINGS = Symbol('OPERATOR_TOKEN_SETTINGS');

/** The challenge of every 401: which credential the surface wants. */
export const OPERATOR_AUTH_CHALLENGE = 'Bearer realm="keel-operator"';

const OPERATOR_ACCESS = 'keel:operator-access';

/** A request an operator made: the guard puts who on it. */
export interface OperatorRequest extends IncomingMessage {
  operator?: OperatorActor;
  body?: unknown;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
}

const DETAIL_OF_REFUSAL: Readonly<Record<OperatorTokenRefusal, string>> = {
  malformed: 'The operator token is malformed.',
  bad_signature: 'The operator token is not signed by this deployment.',
  unknown_role: 'The operator token names no known role.',
  not_yet_valid: 'The operator token is not valid yet.',
  expired: 'The operator token has expired.',
  lifetime_too_long: 'The operator token lives longer than OPERATOR_TOKEN_MAX_TTL_HOURS allows.',
};

function unauthenticated(response: ServerResponse, detail: string): OperatorProblem {
  response.setHeader('WWW-Authenticate', OPERATOR_AUTH_CHALLENGE);
  return new OperatorProblem(OperatorProblemCode.Unauthenticated, detail);
}

/**
 * Lets the request through only with an operator token (`Authorization: Bearer op_…`) of at least
 * `needed`, and puts its actor on the request. No or a bad token: 401 with the challenge; a role
 * too low: 403.
 */
export function authorizeOperator(
  context: ExecutionContext,
  settings: OperatorTokenSettings,
  needed: OperatorRole,
): OperatorActor {
  const http = context.switchToHttp();
  const request = http.getRequest<OperatorRequest>();
  const token = bearerTokenOf(request.headers.authorization);
  if (token === undefined || !token.startsWith(OPERATOR_TOKEN_PREFIX)) {
    throw unauthenticated(
      http.getResponse(),
      'An `Authorization: Bearer <operator token>` header is required (npm run operator -- token).',
    );
  }
  const verdict = verifyOperatorToken(token, settings, new Date());
  if (!verdict.valid) throw unauthenticated(http.getResponse(), DETAIL_OF_REFUSAL[verdict.reason]);
  if (!roleSatisfies(verdict.actor.role, needed)) throw OperatorProblem.forbidden(verdict.actor.role, needed);
  request.operator = verdict.actor;
  return verdict.actor;
}

/** The guard of routes marked @OperatorAccess(role): the role comes from the route's mark. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(OPERATOR_TOKEN_SETTINGS) private readonly settings: OperatorTokenSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<OperatorRole | undefined>(OPERATOR_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (needed === undefined) throw new Error('OperatorGuard guards a route without @OperatorAccess(role)');
    authorizeOperator(context, this.settings, needed);
    return true;
  }
}

/** A guard asking for `needed` on a route that cannot carry @OperatorAccess (the platform's /metrics). */
export function operatorRoleGuard(needed: OperatorRole, settings: OperatorTokenSettings): CanActivate {
  return {
    canActivate: (context) => {
      authorizeOperator(context, settings, needed);
      return true;
    },
  };
}

/** Only operators holding `role` or above may call the controller or route so marked. */
export function OperatorAccess(role: OperatorRole): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(OPERATOR_ACCESS, role), UseGuards(OperatorGuard));
}

import { Controller, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OperatorProblem, OperatorProblemCode } from './operator-auth.errors';
import { OperatorAccess, OperatorGuard, operatorRoleGuard, type OperatorRequest } from './operator-guard';
import type { OperatorRole } from './operator-role';
import { mintOperatorToken, type OperatorTokenSettings } from './operator-token';

const SETTINGS: OperatorTokenSettings = {
  secret: 'an-operator-secret-of-at-least-thirty-two-chars',
  maxTtlHours: 24,
  clockSkewS: 60,
};

@OperatorAccess('viewer')
@Controller('things')
class ThingsController {
  @Get()
  list(): string {
    return 'things';
  }

  @OperatorAccess('operator')
  @Get('change')
  change(): string {
    return 'changed';
  }
}

interface Exchange {
  readonly context: ExecutionContext;
  readonly request: OperatorRequest;
  readonly headers: Map<string, string>;
}

function exchange(authorization: string | undefined, handler: keyof ThingsController): Exchange {
  const request = { headers: { authorization } } as unknown as OperatorRequest;
  const headers = new Map<string, string>();
  const response = { setHeader: (name: string, value: string) => headers.set(name, value) };
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
    getHandler: () => ThingsController.prototype[handler],
    getClass: () => ThingsController,
  } as unknown as ExecutionContext;
  return { context, request, headers };
}

const bearer = (role: OperatorRole, settings = SETTINGS): string =>
  `Bearer ${mintOperatorToken({ name: 'ana', role }, settings, new Date()).token}`;

function refusal(run: () => unknown): OperatorProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof OperatorProblem) return error;
    throw error;
  }
  throw new Error('the guard let the request through');
}

describe('OperatorGuard', () => {
  const guard = new OperatorGuard(new Reflector(), SETTINGS);

  it('lets a role at or above the route mark through and puts the actor on the request', () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const { context, request } = exchange(bearer(role), 'list');
      expect(guard.canActivate(context)).toBe(true);
      expect(request.operator).toMatchObject({ name: 'ana', role });
    }
    const { context } = exchange(bearer('admin'), 'change');
    expect(guard.canActivate(context)).toBe(true);
  });

  it('answers 401 with the operator challenge without a token, with a merchant key or a bad token', () => {
    const other = { ...SETTINGS, secret: `${SETTINGS.secret}-other` };
    for (const authorization of [
      undefined,
      'Basic YW5hOnB3',
      'Bearer sk_test_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
      'Bearer op_garbage',
      bearer('admin', other),
    ]) {
      const { context, request, headers } = exchange(authorization, 'list');
      const problem = refusal(() => guard.canActivate(context));
      expect(problem.code).toBe(OperatorProblemCode.Unauthenticated);
      expect(problem.status).toBe(401);
      expect(headers.get('WWW-Authenticate')).toBe('Bearer realm="keel-operator"');
      expect(request.operator).toBeUndefined();
    }
  });

  it('answers 403 naming the role needed when the method asks more than the token has', () => {
    const { context, request, headers } = exchange(bearer('viewer'), 'change');
    const problem = refusal(() => guard.canActivate(context));
    expect(problem.code).toBe(OperatorProblemCode.Forbidden);
    expect(problem.status).toBe(403);
    expect(problem.extensions).toEqual({ requiredRole: 'operator' });
    expect(headers.size).toBe(0);
    expect(request.operator).toBeUndefined();
  });
});

describe('operatorRoleGuard', () => {
  it('asks its own role of a route without a mark', () => {
    const guard = operatorRoleGuard('operator', SETTINGS);
    expect(guard.canActivate(exchange(bearer('operator'), 'list').context)).toBe(true);
    expect(refusal(() => guard.canActivate(exchange(bearer('viewer'), 'list').context)).status).toBe(403);
    expect(refusal(() => guard.canActivate(exchange(undefined, 'list').context)).status).toBe(401);
  });
});

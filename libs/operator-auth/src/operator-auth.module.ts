import { Module, type DynamicModule } from '@nestjs/common';
import { OperatorAuditInterceptor, OperatorAuditRecorder } from './operator-audit';
import { OPERATOR_TOKEN_SETTINGS, OperatorGuard } from './operator-guard';
import type { OperatorTokenSettings } from './operator-token';

/**
 * What @OperatorAccess and @OperatorAudited need, for every module of a service: the token
 * settings, the guard, and the audit recorder and interceptor. KeelServiceModule imports it once.
 */
@Module({})
export class OperatorAuthModule {
  static forRoot(settings: OperatorTokenSettings): DynamicModule {
    return {
      module: OperatorAuthModule,
      global: true,
      providers: [
        { provide: OPERATOR_TOKEN_SETTINGS, useValue: settings },
        OperatorGuard,
        OperatorAuditRecorder,
        OperatorAuditInterceptor,
      ],
      exports: [OPERATOR_TOKEN_SETTINGS, OperatorGuard, OperatorAuditRecorder, OperatorAuditInterceptor],
    };
  }
}

import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ObservabilityModule } from '@keel/observability';
import { SeededRandom } from '@keel/seeded-random';
import { AcmeApi } from './acme/acme-api';
import { AcmeController } from './acme/acme.controller';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import {
  ChargeStore,
  FaultEngine,
  randomIds,
  Simulator,
  systemScheduler,
  type IdGenerator,
  type Scheduler,
} from '@keel/psp-sim-domain';
import { FaultGate } from './http/fault-gate.service';
import { PspPortsService } from './http/psp-ports.service';
import { NovaApi } from './nova/nova-api';
import { NovaController } from './nova/nova.controller';
import { PSP_SIM_ENVIRONMENT, PSP_SIM_IDS, PSP_SIM_SCHEDULER } from './psp-sim.constants';
import type { PspSimEnvironment } from './psp-sim.environment';
import { PspSimMetrics } from './psp-sim.metrics';
import { SimulatorLifecycle } from './simulator/simulator-lifecycle.service';
import { SwiftpayApi } from './swiftpay/swiftpay-api';
import { SwiftpayController } from './swiftpay/swiftpay.controller';
import { WebhookService } from './webhooks/webhook.service';

@Module({})
export class PspSimModule {}

/** The simulator: three PSP dialects over one charge store, the fault engine and the admin API. */
export function pspSimModule(environment: PspSimEnvironment, seed: number): DynamicModule {
  return {
    module: PspSimModule,
    imports: [ObservabilityModule.forRoot({ service: 'psp-sim', logLevel: environment.LOG_LEVEL })],
    controllers: [AcmeController, NovaController, SwiftpayController, AdminController],
    providers: [
      { provide: PSP_SIM_ENVIRONMENT, useValue: environment },
      { provide: PSP_SIM_SCHEDULER, useValue: systemScheduler },
      { provide: PSP_SIM_IDS, useValue: randomIds },
      ...coreProviders(environment, seed),
      PspSimMetrics,
      FaultGate,
      PspPortsService,
      WebhookService,
      AdminService,
      SimulatorLifecycle,
    ],
  };
}

/** The plain-TypeScript parts, built once with their settings. */
function coreProviders(environment: PspSimEnvironment, seed: number): Provider[] {
  return [
    {
      provide: FaultEngine,
      inject: [PSP_SIM_IDS],
      useFactory: (ids: IdGenerator) =>
        new FaultEngine({
          random: new SeededRandom(seed).next,
          maxFaults: environment.PSP_SIM_MAX_FAULTS,
          newId: ids.faultId,
        }),
    },
    {
      provide: Simulator,
      inject: [PSP_SIM_SCHEDULER, PSP_SIM_IDS, WebhookService, PspSimMetrics],
      useFactory: (
        scheduler: Scheduler,
        ids: IdGenerator,
        webhooks: WebhookService,
        metrics: PspSimMetrics,
      ) =>
        new Simulator({
          store: new ChargeStore({
            maxCharges: environment.PSP_SIM_MAX_CHARGES,
            feeBasisPoints: {
              acme: environment.PSP_SIM_FEE_BPS_ACME,
              nova: environment.PSP_SIM_FEE_BPS_NOVA,
              swiftpay: environment.PSP_SIM_FEE_BPS_SWIFTPAY,
            },
            ids,
          }),
          scheduler,
          pendingDelayMs: environment.PSP_SIM_PENDING_DELAY_MS,
          onEvent: (event) => {
            metrics.chargeEvent(event.charge.psp, event.kind);
            webhooks.publish(event);
          },
        }),
    },
    {
      provide: AcmeApi,
      inject: [Simulator],
      useFactory: (simulator: Simulator) => new AcmeApi(simulator, environment.PSP_SIM_ACME_API_KEY),
    },
    {
      provide: NovaApi,
      inject: [Simulator],
      useFactory: (simulator: Simulator) =>
        new NovaApi(simulator, {
          merchantId: environment.PSP_SIM_NOVA_MERCHANT_ID,
          secret: environment.PSP_SIM_NOVA_SECRET,
        }),
    },
    {
      provide: SwiftpayApi,
      inject: [Simulator],
      useFactory: (simulator: Simulator) => new SwiftpayApi(simulator, environment.PSP_SIM_SWIFTPAY_KEY),
    },
  ];
}

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
  SettlementFaults,
  Settlements,
  Simulator,
  systemScheduler,
  type IdGenerator,
  type Scheduler,
  type SettlementFileOf,
} from '@keel/psp-sim-domain';
import { FaultGate } from './http/fault-gate.service';
import { PspPortsService } from './http/psp-ports.service';
import { NovaApi } from './nova/nova-api';
import { NovaController } from './nova/nova.controller';
import {
  PSP_SIM_ENVIRONMENT,
  PSP_SIM_IDS,
  PSP_SIM_SCHEDULER,
  PSP_SIM_SETTLEMENT_FILE_OF,
} from './psp-sim.constants';
import type { PspSimEnvironment } from './psp-sim.environment';
import { PspSimMetrics } from './psp-sim.metrics';
import { feeBasisPointsOf } from './psp-sim.settings';
import { SettlementAdminController } from './settlement/settlement-admin.controller';
import { SettlementAdminService } from './settlement/settlement-admin.service';
import { SettlementFolder } from './settlement/settlement-folder.service';
import { SimulatorLifecycle } from './simulator/simulator-lifecycle.service';
import { SwiftpayApi } from './swiftpay/swiftpay-api';
import { SwiftpayController } from './swiftpay/swiftpay.controller';
import { WebhookService } from './webhooks/webhook.service';

@Module({})
export class PspSimModule {}

/**
 * The simulator: three PSP dialects over one charge store, their settlement files, the fault
 * engines and the admin API.
 */
export function pspSimModule(environment: PspSimEnvironment, seed: number): DynamicModule {
  return {
    module: PspSimModule,
    imports: [ObservabilityModule.forRoot({ service: 'psp-sim', logLevel: environment.LOG_LEVEL })],
    controllers: [
      AcmeController,
      NovaController,
      SwiftpayController,
      AdminController,
      SettlementAdminController,
    ],
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
      SettlementFolder,
      SettlementAdminService,
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
      inject: [PSP_SIM_SCHEDULER, PSP_SIM_IDS, WebhookService, PspSimMetrics, FaultEngine],
      useFactory: (
        scheduler: Scheduler,
        ids: IdGenerator,
        webhooks: WebhookService,
        metrics: PspSimMetrics,
        faults: FaultEngine,
      ) =>
        new Simulator({
          store: new ChargeStore({
            maxCharges: environment.PSP_SIM_MAX_CHARGES,
            feeBasisPoints: feeBasisPointsOf(environment),
            ids,
            issuerDecline: (target, nowMs) => faults.issuerDecline(target, nowMs),
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
      provide: SettlementFaults,
      inject: [PSP_SIM_IDS],
      useFactory: (ids: IdGenerator) =>
        new SettlementFaults({
          maxFaults: environment.PSP_SIM_MAX_SETTLEMENT_FAULTS,
          newId: ids.faultId,
          // Its own stream, so settlement faults leave the request faults' draws unchanged.
          random: new SeededRandom(seed).fork('settlement-faults').next,
        }),
    },
    {
      provide: Settlements,
      inject: [Simulator, SettlementFaults, PSP_SIM_IDS],
      useFactory: (simulator: Simulator, faults: SettlementFaults, ids: IdGenerator) =>
        new Settlements({
          store: simulator.store,
          faults,
          swiftpayMerchantId: environment.PSP_SIM_SWIFTPAY_MERCHANT_ID,
          newMerchantReference: ids.unknownChargeReference,
        }),
    },
    {
      provide: PSP_SIM_SETTLEMENT_FILE_OF,
      inject: [Settlements, PSP_SIM_SCHEDULER],
      useFactory:
        (settlements: Settlements, scheduler: Scheduler): SettlementFileOf =>
        (psp, date) =>
          settlements.file(psp, date, scheduler.nowMs()),
    },
    {
      provide: AcmeApi,
      inject: [Simulator, PSP_SIM_SETTLEMENT_FILE_OF],
      useFactory: (simulator: Simulator, settlementFileOf: SettlementFileOf) =>
        new AcmeApi(simulator, environment.PSP_SIM_ACME_API_KEY, settlementFileOf),
    },
    {
      provide: NovaApi,
      inject: [Simulator, PSP_SIM_SETTLEMENT_FILE_OF],
      useFactory: (simulator: Simulator, settlementFileOf: SettlementFileOf) =>
        new NovaApi(
          simulator,
          { merchantId: environment.PSP_SIM_NOVA_MERCHANT_ID, secret: environment.PSP_SIM_NOVA_SECRET },
          settlementFileOf,
        ),
    },
    {
      provide: SwiftpayApi,
      inject: [Simulator, PSP_SIM_SETTLEMENT_FILE_OF],
      useFactory: (simulator: Simulator, settlementFileOf: SettlementFileOf) =>
        new SwiftpayApi(simulator, environment.PSP_SIM_SWIFTPAY_KEY, settlementFileOf),
    },
  ];
}

import {
  Inject,
  Injectable,
  type DynamicModule,
  type OnApplicationBootstrap,
  type Provider,
  type ValueProvider,
} from '@nestjs/common';
import {
  PspConnectorRegistry,
  PspUnavailableError,
  PspUnknownOutcomeError,
  type ChargeRequest,
  type InquiryOutcome,
  type PspConnector,
  type PspOutcome,
  type PspWebhookEvent,
  type RefundOutcome,
  type RefundRequest,
  type WebhookHeaders,
} from '@keel/executor-connectors';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import type { ExecutorEnvironment } from '../../src/executor.environment';
import { executorModule } from '../../src/executor.module';

/**
 * A PSP connector with the classic double-charge bug planted: a charge whose outcome is unknown (a
 * timeout or a 5xx after sending) is reported as refused before processing, so the executor fails
 * the order over to the next PSP instead of asking this one by inquiry.
 */
export class UnknownOutcomeAsUnavailableConnector implements PspConnector {
  readonly pspId: string;

  constructor(private readonly correct: PspConnector) {
    this.pspId = correct.pspId;
  }

  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<PspOutcome> {
    try {
      return await this.correct.charge(request, signal);
    } catch (error) {
      if (!(error instanceof PspUnknownOutcomeError)) throw error;
      throw new PspUnavailableError(
        this.pspId,
        `planted bug, read as unavailable: ${error.message}`,
        undefined,
        {
          cause: error,
        },
      );
    }
  }

  inquire(idempotencyKey: string, signal?: AbortSignal): Promise<InquiryOutcome> {
    return this.correct.inquire(idempotencyKey, signal);
  }

  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundOutcome> {
    return this.correct.refund(request, signal);
  }

  parseWebhook(headers: WebhookHeaders, rawBody: Buffer, nowMs: number): PspWebhookEvent {
    return this.correct.parseWebhook(headers, rawBody, nowMs);
  }

  close(): Promise<void> {
    return this.correct.close();
  }
}

@Injectable()
class PlantedBugWarning implements OnApplicationBootstrap {
  constructor(@Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    this.logger.warn(
      { plantedBug: 'failover-on-unknown-outcome' },
      "this executor is a test build that double-charges on purpose (the chaos suite's broken-build proof)",
    );
  }
}

function isConnectorRegistry(provider: Provider): provider is ValueProvider<PspConnectorRegistry> {
  return (
    typeof provider === 'object' &&
    'provide' in provider &&
    provider.provide === PspConnectorRegistry &&
    'useValue' in provider
  );
}

/**
 * The executor's own module with each of its PSP connectors wrapped in the bug, and a warning at
 * start. Throws when the module no longer provides its connectors as a value to wrap.
 */
export function executorFailingOverOnUnknownOutcome(environment: ExecutorEnvironment): DynamicModule {
  const correct = executorModule(environment);
  const providers = correct.providers ?? [];
  const registry = providers.find(isConnectorRegistry);
  if (registry === undefined) {
    throw new Error('the executor module provides no PspConnectorRegistry value to plant the bug in');
  }
  const connectors = registry.useValue;
  const broken = new PspConnectorRegistry(
    connectors.pspIds().map((pspId) => new UnknownOutcomeAsUnavailableConnector(connectors.get(pspId))),
  );
  return {
    ...correct,
    providers: [
      ...providers.map((provider) =>
        provider === registry ? { provide: PspConnectorRegistry, useValue: broken } : provider,
      ),
      PlantedBugWarning,
    ],
  };
}

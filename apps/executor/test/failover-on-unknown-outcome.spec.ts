import type { ValueProvider } from '@nestjs/common';
import {
  PspConnectorRegistry,
  PspRejectedRequestError,
  PspUnknownOutcomeError,
} from '@keel/executor-connectors';
import { loadEnvironment } from '@keel/platform';
import { ExecutorEnvironment } from '../src/executor.environment';
import { CHARGE_REQUEST as request, connectorThat } from '../src/__fixtures__/scripted-connector';
import { callCharge } from '../src/resilience/psp-call.util';
import {
  executorFailingOverOnUnknownOutcome,
  UnknownOutcomeAsUnavailableConnector,
} from './__fixtures__/failover-on-unknown-outcome';

describe("the chaos suite's planted bug (failover on unknown outcome)", () => {
  it('reads an unknown charge outcome as certainly not charged, and nothing else', async () => {
    const timingOut = connectorThat(() => Promise.reject(new PspUnknownOutcomeError('acme', 'timeout')));
    await expect(callCharge(timingOut, request)).resolves.toMatchObject({
      result: { kind: 'unknown_outcome' },
    });
    await expect(
      callCharge(new UnknownOutcomeAsUnavailableConnector(timingOut), request),
    ).resolves.toMatchObject({ result: { kind: 'unavailable' }, errorCode: 'psp_unavailable' });
    const rejecting = connectorThat(() => Promise.reject(new PspRejectedRequestError('acme', 'bad', 'E1')));
    await expect(
      callCharge(new UnknownOutcomeAsUnavailableConnector(rejecting), request),
    ).resolves.toMatchObject({ result: { kind: 'rejected' } });
    const captured = { amountMinor: request.amountMinor, currency: request.currency };
    const succeeding = connectorThat(() =>
      Promise.resolve({ kind: 'succeeded', pspReference: 'ch_1', captured }),
    );
    await expect(
      callCharge(new UnknownOutcomeAsUnavailableConnector(succeeding), request),
    ).resolves.toMatchObject({ result: { kind: 'succeeded', pspReference: 'ch_1' } });
  });

  it("plants it in every connector of the executor's own module", async () => {
    const environment = loadEnvironment(ExecutorEnvironment, {
      PORT: '0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/keel_executor',
      KAFKA_BROKERS: '127.0.0.1:19092',
      KEEL_PROFILE: 'local',
    });
    const providers = executorFailingOverOnUnknownOutcome(environment).providers ?? [];
    const registries = providers.filter(
      (provider): provider is ValueProvider<PspConnectorRegistry> =>
        typeof provider === 'object' && 'provide' in provider && provider.provide === PspConnectorRegistry,
    );
    expect(registries).toHaveLength(1);
    const registry = registries[0].useValue;
    try {
      expect(registry.pspIds().sort()).toEqual(['acme', 'nova', 'swiftpay']);
      for (const pspId of registry.pspIds()) {
        expect(registry.get(pspId)).toBeInstanceOf(UnknownOutcomeAsUnavailableConnector);
      }
    } finally {
      await registry.close();
    }
  });
});

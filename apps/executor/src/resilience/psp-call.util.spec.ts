import {
  PspProtocolError,
  PspRejectedRequestError,
  PspUnavailableError,
  PspUnknownOutcomeError,
} from '@keel/executor-connectors';
import { CHARGE_REQUEST as request, connectorThat } from '../__fixtures__/scripted-connector';
import { callCharge, callInquiry } from './psp-call.util';

describe('callCharge', () => {
  it('passes outcomes on in the rules’ words', async () => {
    const declined = connectorThat(() =>
      Promise.resolve({ kind: 'declined', code: 'expired_card', message: 'Card expired', pspCode: 'D054' }),
    );
    await expect(callCharge(declined, request)).resolves.toMatchObject({
      result: { kind: 'declined', code: 'expired_card', message: 'Card expired' },
    });
  });

  it('only PspUnavailableError counts as certainly not charged', async () => {
    const cases: [Error, string][] = [
      [new PspUnavailableError('acme', '503', 2_000), 'unavailable'],
      [new PspRejectedRequestError('acme', '401', '401'), 'rejected'],
      [new PspUnknownOutcomeError('acme', 'timeout'), 'unknown_outcome'],
      [new PspProtocolError('acme', 'unknown status'), 'unknown_outcome'],
      [new TypeError('a bug of ours'), 'unknown_outcome'],
    ];
    for (const [error, kind] of cases) {
      const call = await callCharge(
        connectorThat(() => Promise.reject(error)),
        request,
      );
      expect(call.result.kind).toBe(kind);
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
    }
    const unavailable = await callCharge(
      connectorThat(() => Promise.reject(new PspUnavailableError('acme', '503', 2_000))),
      request,
    );
    expect(unavailable.result).toMatchObject({ kind: 'unavailable', retryAfterMs: 2_000 });
    expect(unavailable.errorCode).toBe('psp_unavailable');
  });
});

describe('callInquiry', () => {
  it('reports not_found and outcomes, and turns errors into results', async () => {
    const found = connectorThat(
      () => Promise.reject(new Error('not used')),
      () => Promise.resolve({ kind: 'pending', pspReference: 'ch_1' }),
    );
    await expect(callInquiry(found, 'po_1')).resolves.toMatchObject({
      result: { kind: 'pending', pspReference: 'ch_1' },
    });
    const none = connectorThat(() => Promise.reject(new Error('not used')));
    await expect(callInquiry(none, 'po_1')).resolves.toMatchObject({ result: { kind: 'not_found' } });
    const failing = connectorThat(
      () => Promise.reject(new Error('not used')),
      () => Promise.reject(new PspUnavailableError('acme', 'refused')),
    );
    await expect(callInquiry(failing, 'po_1')).resolves.toMatchObject({ result: { kind: 'unavailable' } });
  });
});

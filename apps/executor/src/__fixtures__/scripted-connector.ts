import type { ChargeRequest, InquiryOutcome, PspConnector, PspOutcome } from '@keel/executor-connectors';

/** An acme connector whose charge (and inquiry, not_found by default) do what the test says. */
export function connectorThat(
  charge: () => Promise<PspOutcome>,
  inquire?: () => Promise<InquiryOutcome>,
): PspConnector {
  return {
    pspId: 'acme',
    charge,
    inquire: inquire ?? (() => Promise.resolve({ kind: 'not_found' })),
    refund: () => Promise.reject(new Error('not used')),
    parseWebhook: () => {
      throw new Error('not used');
    },
    close: () => Promise.resolve(),
  };
}

export const CHARGE_REQUEST: ChargeRequest = {
  idempotencyKey: 'po_1',
  amountMinor: 100n,
  currency: 'KRW',
  method: { type: 'card' },
  instrumentToken: 'tok_approve',
};

import { evaluateCompletion } from './payment-completion.rules';
import type { PaymentCommand } from './payment.command';
import { declined, ledgerRecorded, requestPayment, run, succeeded, walletCredited } from './payment.fixture';
import type { PaymentState } from './payment.state';

function stateAfter(commands: PaymentCommand[]): PaymentState {
  const { state } = run([requestPayment(), ...commands]);
  if (state === undefined) throw new Error('no state');
  return state;
}

const unknown: PaymentCommand = {
  kind: 'RecordOrderOutcomeUnknown',
  occurredAt: '2026-01-02T03:04:30.000Z',
  paymentOrderId: 'po_2',
};

describe('evaluateCompletion', () => {
  it('waits while an order is executing or its outcome is unknown', () => {
    expect(evaluateCompletion(stateAfter([succeeded('po_1')]))).toBeUndefined();
    expect(evaluateCompletion(stateAfter([declined('po_1'), unknown]))).toBeUndefined();
  });

  it('waits while a charged order lacks the wallet or the ledger confirmation', () => {
    const charged = [succeeded('po_1'), succeeded('po_2')];
    expect(
      evaluateCompletion(stateAfter([...charged, walletCredited('po_1'), walletCredited('po_2')])),
    ).toBeUndefined();
    expect(
      evaluateCompletion(stateAfter([...charged, ledgerRecorded('po_1'), ledgerRecorded('po_2')])),
    ).toBeUndefined();
    expect(
      evaluateCompletion(stateAfter([declined('po_2'), succeeded('po_1'), walletCredited('po_1')])),
    ).toBeUndefined();
  });

  it('does not wait for confirmations when no order was charged', () => {
    expect(evaluateCompletion(stateAfter([declined('po_1'), declined('po_2')]))).toEqual({
      status: 'failed',
      failure: { code: 'declined', message: 'Every payment order was declined.' },
    });
  });

  it('calls for failed with the risk reason as soon as the risk check rejected the payment', () => {
    const { state } = run([
      requestPayment({ risk: { approved: false, reason: 'blocked_country', detail: 'Blocked.' } }),
    ]);
    expect(state === undefined ? undefined : evaluateCompletion(state)).toEqual({
      status: 'failed',
      failure: { code: 'blocked_country', message: 'Blocked.' },
    });
  });
});

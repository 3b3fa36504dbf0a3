import { decide } from './payment.decide';
import { fold } from './payment.evolve';
import { requestPayment, typesOf } from './payment.fixture';
import { decideNewPayment } from './payment-request.decide';

describe('decideNewPayment', () => {
  it('gives the events decide() gives for no state, and the state they fold to', () => {
    const command = requestPayment();
    const { events, state } = decideNewPayment(command);
    expect(events).toEqual(decide(undefined, command));
    expect(state).toEqual(fold(events));
    expect(state.version).toBe(events.length);
    expect(state.orders.map((order) => order.status)).toEqual(['executing', 'executing']);
  });

  it('folds a risk rejection into a failed payment with its reason', () => {
    const { events, state } = decideNewPayment(
      requestPayment({ risk: { approved: false, reason: 'velocity_exceeded', detail: 'Too many.' } }),
    );
    expect(typesOf(events)).toEqual(['PaymentRequested', 'PaymentRiskRejected', 'PaymentFailed']);
    expect(state.status).toBe('failed');
    expect(state.failure).toEqual({ code: 'velocity_exceeded', message: 'Too many.' });
  });
});

import { validationPipe, ValidationFailedException } from '@keel/observability';
import { PaymentOrderParams } from './payment-order.dto';

async function refusedFieldsOf(paymentOrderId: string): Promise<string[]> {
  try {
    await validationPipe().transform({ paymentOrderId }, { type: 'param', metatype: PaymentOrderParams });
    return [];
  } catch (error) {
    if (!(error instanceof ValidationFailedException)) throw error;
    return error.errors.map((fieldError) => `${fieldError.field}: ${fieldError.message}`);
  }
}

describe('PaymentOrderParams', () => {
  it('accepts a payment order id', async () => {
    expect(await refusedFieldsOf('po_01HZX3')).toEqual([]);
  });

  it('refuses a card number as payment order id', async () => {
    expect(await refusedFieldsOf('po_4111111111111111')).toEqual([
      'paymentOrderId: paymentOrderId must not contain a card number',
    ]);
  });
});

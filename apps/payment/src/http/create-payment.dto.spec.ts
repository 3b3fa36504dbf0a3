import { validationPipe, ValidationFailedException, type FieldError } from '@keel/observability';
import { CreatePaymentDto } from './create-payment.dto';
import { ListPaymentsQueryDto } from './list-payments-query.dto';

const pipe = validationPipe();
const PAN = '4111111111111111';

function validBody(): Record<string, unknown> {
  return {
    checkoutId: 'checkout-1',
    currency: 'KRW',
    buyer: { id: 'buyer-1', email: 'buyer@example.com', country: 'KR' },
    paymentMethod: { type: 'card', token: 'tok_1', issuer: 'shinhan' },
    orders: [
      { sellerId: 'seller-1', amount: 10_000 },
      { sellerId: 'seller-2', amount: 5_000 },
    ],
  };
}

async function fieldsOf(body: unknown, metatype: new () => object = CreatePaymentDto): Promise<string[]> {
  try {
    await pipe.transform(body, { type: metatype === CreatePaymentDto ? 'body' : 'query', metatype });
    return [];
  } catch (error) {
    if (!(error instanceof ValidationFailedException)) throw error;
    return [...new Set(error.errors.map((fieldError: FieldError) => fieldError.field))].sort();
  }
}

describe('CreatePaymentDto', () => {
  it('accepts a valid body for each payment method', async () => {
    expect(await fieldsOf(validBody())).toEqual([]);
    const easyPay = { type: 'easy_pay', provider: 'kakaopay', token: 'tok_k' };
    expect(await fieldsOf({ ...validBody(), paymentMethod: easyPay })).toEqual([]);
    expect(
      await fieldsOf({
        ...validBody(),
        paymentMethod: { type: 'bank_transfer', bank: 'kb', token: 'tok_b' },
      }),
    ).toEqual([]);
  });

  it('builds the payment method subtype named by `type`', async () => {
    const dto = (await pipe.transform(validBody(), {
      type: 'body',
      metatype: CreatePaymentDto,
    })) as CreatePaymentDto;
    expect(dto.paymentMethod.constructor.name).toBe('CardPaymentMethodDto');
  });

  it.each<[string, (body: Record<string, unknown>) => void, string[]]>([
    ['a zero amount', (body) => (body['orders'] = [{ sellerId: 's', amount: 0 }]), ['orders.0.amount']],
    // The public API's property test found this one: nested arrays passed as orders reached intake.
    ['orders nested in arrays', (body) => (body['orders'] = [[[[]]]]), ['orders']],
    ['a negative amount', (body) => (body['orders'] = [{ sellerId: 's', amount: -1 }]), ['orders.0.amount']],
    [
      'a fractional amount',
      (body) => (body['orders'] = [{ sellerId: 's', amount: 1.5 }]),
      ['orders.0.amount'],
    ],
    [
      'an amount as a string',
      (body) => (body['orders'] = [{ sellerId: 's', amount: '100' }]),
      ['orders.0.amount'],
    ],
    [
      'an amount beyond 2^53 - 1',
      (body) => (body['orders'] = [{ sellerId: 's', amount: 2 ** 53 }]),
      ['orders.0.amount'],
    ],
    ['no orders', (body) => (body['orders'] = []), ['orders']],
    [
      '101 orders',
      (body) => (body['orders'] = Array.from({ length: 101 }, (_, i) => ({ sellerId: `s${i}`, amount: 1 }))),
      ['orders'],
    ],
    ['an order that is not an object', (body) => (body['orders'] = [7]), ['orders', 'orders.0']],
    ['a bad seller id', (body) => (body['orders'] = [{ sellerId: 'a b', amount: 1 }]), ['orders.0.sellerId']],
    ['an unknown currency', (body) => (body['currency'] = 'ABC'), ['currency']],
    ['a lower-case currency', (body) => (body['currency'] = 'krw'), ['currency']],
    ['a missing checkoutId', (body) => delete body['checkoutId'], ['checkoutId']],
    ['a checkoutId with spaces', (body) => (body['checkoutId'] = 'a b'), ['checkoutId']],
    ['a missing buyer', (body) => delete body['buyer'], ['buyer']],
    ['a bad buyer email', (body) => (body['buyer'] = { id: 'b', email: 'nope' }), ['buyer.email']],
    ['a bad buyer country', (body) => (body['buyer'] = { id: 'b', country: 'XX' }), ['buyer.country']],
    ['a missing payment method', (body) => delete body['paymentMethod'], ['paymentMethod']],
    [
      'an unknown payment method',
      (body) => (body['paymentMethod'] = { type: 'cash' }),
      ['paymentMethod.type'],
    ],
    [
      'a card without a token',
      (body) => (body['paymentMethod'] = { type: 'card', issuer: 'x' }),
      ['paymentMethod.token'],
    ],
    [
      'a bank transfer without a token',
      (body) => (body['paymentMethod'] = { type: 'bank_transfer', bank: 'kb' }),
      ['paymentMethod.token'],
    ],
    [
      'a bank transfer with a card field',
      (body) => (body['paymentMethod'] = { type: 'bank_transfer', bank: 'kb', token: 't', issuer: 'x' }),
      ['paymentMethod.issuer'],
    ],
    [
      'an easy-pay without a provider',
      (body) => (body['paymentMethod'] = { type: 'easy_pay', token: 't' }),
      ['paymentMethod.provider'],
    ],
    ['an unknown field', (body) => (body['extra'] = true), ['extra']],
    ['a card number as checkoutId', (body) => (body['checkoutId'] = '4111-1111-1111-1111'), ['checkoutId']],
    ['a card number in buyer.id', (body) => (body['buyer'] = { id: `buyer_${PAN}` }), ['buyer.id']],
    [
      'a card number in buyer.email',
      (body) => (body['buyer'] = { id: 'b', email: `${PAN}@example.com` }),
      ['buyer.email'],
    ],
    [
      'a card number as card token',
      (body) => (body['paymentMethod'] = { type: 'card', token: PAN, issuer: 'shinhan' }),
      ['paymentMethod.token'],
    ],
    [
      'a card number as issuer',
      (body) => (body['paymentMethod'] = { type: 'card', token: 't', issuer: PAN }),
      ['paymentMethod.issuer'],
    ],
    [
      'a card number in an easy-pay provider and token',
      (body) => (body['paymentMethod'] = { type: 'easy_pay', provider: PAN, token: `kp:${PAN}` }),
      ['paymentMethod.provider', 'paymentMethod.token'],
    ],
    [
      'a card number in a bank transfer bank and token',
      (body) => (body['paymentMethod'] = { type: 'bank_transfer', bank: PAN, token: PAN }),
      ['paymentMethod.bank', 'paymentMethod.token'],
    ],
    [
      'a card number as sellerId',
      (body) => (body['orders'] = [{ sellerId: '378282246310005', amount: 1 }]),
      ['orders.0.sellerId'],
    ],
  ])('refuses %s', async (_name, mutate, fields) => {
    const body = validBody();
    mutate(body);
    expect(await fieldsOf(body)).toEqual(fields);
  });
});

describe('ListPaymentsQueryDto', () => {
  it('reads limit from the query string as an integer', async () => {
    expect(await fieldsOf({ limit: '10', cursor: 'abc', checkoutId: 'c-1' }, ListPaymentsQueryDto)).toEqual(
      [],
    );
  });

  it.each([
    ['a zero limit', { limit: '0' }, ['limit']],
    ['a non-numeric limit', { limit: 'ten' }, ['limit']],
    ['an unknown parameter', { page: '2' }, ['page']],
    ['a card number as checkoutId', { checkoutId: '4111111111111111' }, ['checkoutId']],
    ['a card number in the cursor', { cursor: 'x 4111 1111 1111 1111' }, ['cursor']],
  ])('refuses %s', async (_name, query, fields) => {
    expect(await fieldsOf(query, ListPaymentsQueryDto)).toEqual(fields);
  });
});

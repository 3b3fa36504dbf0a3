import { validationPipe, ValidationFailedException } from '@keel/observability';
import { WalletEntriesQuery, WalletParams } from './wallet-query.dto';

async function refusedFieldsOf(
  value: Record<string, string>,
  metatype: new () => object,
  type: 'param' | 'query',
): Promise<string[]> {
  try {
    await validationPipe().transform(value, { type, metatype });
    return [];
  } catch (error) {
    if (!(error instanceof ValidationFailedException)) throw error;
    return error.errors.map((fieldError) => `${fieldError.field}: ${fieldError.message}`);
  }
}

describe('the wallet read', () => {
  it('accepts a merchant id, a seller id and a cursor', async () => {
    expect(
      await refusedFieldsOf({ merchantId: 'merchant-1', sellerId: 'seller-1' }, WalletParams, 'param'),
    ).toEqual([]);
    expect(await refusedFieldsOf({ limit: '10', cursor: 'MTIz' }, WalletEntriesQuery, 'query')).toEqual([]);
  });

  it('refuses a card number as merchant id, seller id or cursor', async () => {
    expect(
      await refusedFieldsOf({ merchantId: '4111111111111111', sellerId: 'seller-1' }, WalletParams, 'param'),
    ).toEqual(['merchantId: merchantId must not contain a card number']);
    expect(
      await refusedFieldsOf(
        { merchantId: 'merchant-1', sellerId: '4111111111111111' },
        WalletParams,
        'param',
      ),
    ).toEqual(['sellerId: sellerId must not contain a card number']);
    expect(await refusedFieldsOf({ cursor: '4111-1111-1111-1111' }, WalletEntriesQuery, 'query')).toEqual([
      'cursor: cursor must not contain a card number',
    ]);
  });
});

import { validationPipe, ValidationFailedException } from '@keel/observability';
import { FindTransactionsQuery } from './find-transactions-query.dto';
import { ListAccountsQuery } from './list-accounts-query.dto';

const VISA = '4111111111111111';

async function refusedFieldsOf(query: Record<string, string>, metatype: new () => object): Promise<string[]> {
  try {
    await validationPipe().transform(query, { type: 'query', metatype });
    return [];
  } catch (error) {
    if (!(error instanceof ValidationFailedException)) throw error;
    return error.errors.map((fieldError) => `${fieldError.field}: ${fieldError.message}`);
  }
}

describe("the ledger's list queries", () => {
  it('accept identifiers and cursors', async () => {
    expect(await refusedFieldsOf({ reference: 'po_1' }, FindTransactionsQuery)).toEqual([]);
    expect(await refusedFieldsOf({ owner: 'seller-1', cursor: 'MTIz' }, ListAccountsQuery)).toEqual([]);
  });

  it('refuse a card number as reference, owner or cursor', async () => {
    expect(await refusedFieldsOf({ reference: VISA }, FindTransactionsQuery)).toEqual([
      'reference: reference must not contain a card number',
    ]);
    expect(await refusedFieldsOf({ owner: VISA, cursor: `x ${VISA}` }, ListAccountsQuery)).toEqual([
      'owner: owner must not contain a card number',
      'cursor: cursor must not contain a card number',
    ]);
  });
});

import { validationPipe, ValidationFailedException } from '@keel/observability';
import { PspRoutesDto } from './psp-routes.dto';

const VISA = '4111111111111111';

async function refusedFieldsOf(routes: unknown[]): Promise<string[]> {
  try {
    await validationPipe().transform({ routes }, { type: 'body', metatype: PspRoutesDto });
    return [];
  } catch (error) {
    if (!(error instanceof ValidationFailedException)) throw error;
    return error.errors.map((fieldError) => `${fieldError.field}: ${fieldError.message}`);
  }
}

describe('PspRoutesDto', () => {
  const route = { methodType: 'card', provider: 'shinhan', pspId: 'acme', weight: 70, enabled: true };

  it('accepts a route of identifiers', async () => {
    expect(await refusedFieldsOf([route])).toEqual([]);
  });

  it('refuses a card number as provider or PSP id', async () => {
    expect(await refusedFieldsOf([{ ...route, provider: VISA, pspId: `psp-${VISA}` }])).toEqual([
      'routes.0.provider: provider must not contain a card number',
      'routes.0.pspId: pspId must not contain a card number',
    ]);
  });
});

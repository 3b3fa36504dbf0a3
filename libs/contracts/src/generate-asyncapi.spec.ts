import { isDeepStrictEqual } from 'node:util';
import { buildAsyncApiDocument } from './asyncapi';
import { ContractErrorCode } from './contract.error';
import {
  assertCompatibleUpdate,
  asyncApiDocumentPath,
  readAsyncApiDocument,
  writeAsyncApiDocument,
} from './generate-asyncapi';

const REGENERATE =
  'Regenerate it with: UPDATE_ASYNCAPI=1 npx jest -c libs/contracts/jest.config.js generate-asyncapi';

// The guard of the published contracts. It reads the committed docs/asyncapi.json, the one file
// this unit suite touches: a change to an event type must keep every published type compatible
// (checked first) and must be committed as a regenerated document (checked second).
describe('docs/asyncapi.json', () => {
  const generated = buildAsyncApiDocument();
  if (process.env.UPDATE_ASYNCAPI === '1') {
    writeAsyncApiDocument(generated);
  }
  const committed = readAsyncApiDocument(asyncApiDocumentPath());

  it('exists', () => {
    if (committed === undefined) {
      throw new Error(`docs/asyncapi.json is missing. ${REGENERATE}`);
    }
  });

  it('is not broken by the current event types', () => {
    expect(() => committed && assertCompatibleUpdate(committed, generated)).not.toThrow();
  });

  it('matches the current event types and topics', () => {
    if (!isDeepStrictEqual(committed, generated)) {
      throw new Error(`docs/asyncapi.json is out of date. ${REGENERATE}`);
    }
  });
});

describe('assertCompatibleUpdate', () => {
  it('refuses to replace a document with one that drops a published type', () => {
    const document = buildAsyncApiDocument();
    const next = structuredClone(document);
    delete next.components.messages['keel.wallet.credited.v1'];

    expect(() => assertCompatibleUpdate(document, next)).toThrow(
      expect.objectContaining({
        code: ContractErrorCode.BreakingChange,
        message: expect.stringContaining('keel.wallet.credited.v1: type_removed'),
      }),
    );
  });

  it('accepts an additive change', () => {
    const document = buildAsyncApiDocument();
    const next = structuredClone(document);
    next.components.schemas.WalletCreditedPayload.properties = {
      ...next.components.schemas.WalletCreditedPayload.properties,
      fieldAddedByThisTest: { type: 'string' },
    };

    expect(() => assertCompatibleUpdate(document, next)).not.toThrow();
  });
});

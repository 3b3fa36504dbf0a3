import { parsePipelineTargets } from './pipeline-targets';

describe('parsePipelineTargets', () => {
  it('reads name=url pairs, spaces around them and a trailing slash left out', () => {
    expect(
      parsePipelineTargets(' payment=http://127.0.0.1:3001/ , executor = https://executor.keel:3000/base'),
    ).toEqual({
      targets: [
        { service: 'payment', baseUrl: 'http://127.0.0.1:3001' },
        { service: 'executor', baseUrl: 'https://executor.keel:3000/base' },
      ],
      problems: [],
    });
  });

  it('gives no target for an empty value', () => {
    expect(parsePipelineTargets('')).toEqual({ targets: [], problems: [] });
    expect(parsePipelineTargets('  ')).toEqual({ targets: [], problems: [] });
  });

  it('names every problem and keeps no target when there is one', () => {
    const { targets, problems } = parsePipelineTargets(
      [
        'payment=http://127.0.0.1:3001',
        'payment=http://127.0.0.1:3009',
        'Wallet=http://127.0.0.1:3003',
        'ledger',
        'executor=ftp://127.0.0.1:3002',
        'ops=http://user:secret@127.0.0.1:3006',
        'recon=not a url',
        'bench=http://127.0.0.1:3007/?x=1',
      ].join(','),
    );
    expect(targets).toEqual([]);
    expect(problems).toEqual([
      '"payment" is named twice',
      '"Wallet": a name is lowercase letters, digits and dashes',
      '"ledger" is not name=url',
      '"executor": the URL must be http(s)',
      '"ops": the URL must not carry credentials',
      '"recon": "not a url" is not a URL',
      '"bench": the URL must not have a query or fragment',
    ]);
  });
});

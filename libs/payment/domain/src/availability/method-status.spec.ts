import {
  mergeStatuses,
  methodOffers,
  methodTypesFor,
  newestPerProvider,
  parseMethodsByCurrency,
  switchedOff,
  type MethodStatus,
} from './method-status';

function status(
  methodType: string,
  provider: string,
  enabled: boolean,
  changedAtMs: number,
  notice?: string,
): MethodStatus {
  return { methodType, provider, enabled, notice, changedAtMs };
}

function known(...statuses: MethodStatus[]): Map<string, MethodStatus> {
  const map = new Map<string, MethodStatus>();
  mergeStatuses(map, statuses);
  return map;
}

describe('newestPerProvider', () => {
  it('keeps the change made last per method and provider, sorted', () => {
    expect(
      newestPerProvider([
        status('card', 'shinhan', false, 20, 'down'),
        status('card', '*', false, 5),
        status('card', 'shinhan', true, 30),
        status('bank_transfer', 'kb', false, 10, 'kb down'),
        status('card', 'shinhan', false, 25, 'late'),
      ]),
    ).toEqual([
      status('bank_transfer', 'kb', false, 10, 'kb down'),
      status('card', '*', false, 5),
      status('card', 'shinhan', true, 30),
    ]);
  });
});

describe('mergeStatuses', () => {
  it('takes newer changes and ignores older ones', () => {
    const statuses = known(status('card', 'shinhan', false, 20, 'down'));
    mergeStatuses(statuses, [status('card', 'shinhan', true, 10)]);
    expect(switchedOff(statuses, 'card', 'shinhan')?.notice).toBe('down');
    mergeStatuses(statuses, [status('card', 'shinhan', true, 20)]);
    expect(switchedOff(statuses, 'card', 'shinhan')).toBeUndefined();
  });
});

describe('switchedOff', () => {
  it('names the switched-off provider, or the whole method, and nothing for the others', () => {
    const statuses = known(
      status('card', 'shinhan', false, 1, 'Shinhan cards are down'),
      status('easy_pay', '*', false, 1, 'easy pay is down'),
    );
    expect(switchedOff(statuses, 'card', 'shinhan')?.notice).toBe('Shinhan cards are down');
    expect(switchedOff(statuses, 'card', 'kb')).toBeUndefined();
    expect(switchedOff(statuses, 'easy_pay', 'kakaopay')?.provider).toBe('*');
    expect(switchedOff(statuses, 'bank_transfer', 'kb')).toBeUndefined();
  });
});

describe('methodOffers', () => {
  it("lists each method with ops' switches and the executor's availability", () => {
    const statuses = known(
      status('card', 'shinhan', false, 1, 'Shinhan cards are down'),
      status('card', 'hana', false, 1),
      status('card', 'kb', true, 1),
      status('easy_pay', '*', false, 1, 'easy pay is down'),
    );
    const noPsp = (methodType: string) =>
      methodType === 'bank_transfer' ? { retryAfterSeconds: 30 } : undefined;
    expect(methodOffers(['card', 'easy_pay', 'bank_transfer'], statuses, noPsp)).toEqual([
      {
        type: 'card',
        available: true,
        disabledProviders: [{ provider: 'hana' }, { provider: 'shinhan', notice: 'Shinhan cards are down' }],
      },
      {
        type: 'easy_pay',
        available: false,
        unavailableReason: 'switched_off',
        notice: 'easy pay is down',
        disabledProviders: [],
      },
      {
        type: 'bank_transfer',
        available: false,
        unavailableReason: 'no_psp_available',
        retryAfterSeconds: 30,
        disabledProviders: [],
      },
    ]);
  });
});

describe('parseMethodsByCurrency', () => {
  const types = ['card', 'easy_pay', 'bank_transfer'];

  it('reads the method types offered per currency; a currency not listed offers them all', () => {
    const offered = parseMethodsByCurrency(
      '{"KRW":["card","easy_pay","bank_transfer"],"USD":["card","card"]}',
      types,
    );
    expect(methodTypesFor(offered, 'USD', types)).toEqual(['card']);
    expect(methodTypesFor(offered, 'KRW', types)).toEqual(types);
    expect(methodTypesFor(offered, 'JPY', types)).toEqual(types);
  });

  it('refuses what is not currencies to known method types', () => {
    expect(() => parseMethodsByCurrency('[]', types)).toThrow('JSON object');
    expect(() => parseMethodsByCurrency('{"krw":["card"]}', types)).toThrow('krw is not an ISO 4217 code');
    expect(() => parseMethodsByCurrency('{"KRW":["cash"]}', types)).toThrow('KRW must list method types');
  });
});

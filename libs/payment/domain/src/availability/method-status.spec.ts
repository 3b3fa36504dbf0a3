import {
  admissionBucketOf,
  mergeStatuses,
  methodOffers,
  methodTypesFor,
  newestPerProvider,
  parseMethodsByCurrency,
  refusalOf,
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
    expect(refusalOf(statuses, 'card', 'shinhan', 'm/checkout-1')?.notice).toBe('down');
    mergeStatuses(statuses, [status('card', 'shinhan', true, 20)]);
    expect(refusalOf(statuses, 'card', 'shinhan', 'm/checkout-1')).toBeUndefined();
  });
});

describe('refusalOf', () => {
  it('names the switched-off provider, or the whole method, and nothing for the others', () => {
    const statuses = known(
      status('card', 'shinhan', false, 1, 'Shinhan cards are down'),
      status('easy_pay', '*', false, 1, 'easy pay is down'),
    );
    expect(refusalOf(statuses, 'card', 'shinhan', 'm/c')?.notice).toBe('Shinhan cards are down');
    expect(refusalOf(statuses, 'card', 'kb', 'm/c')).toBeUndefined();
    expect(refusalOf(statuses, 'easy_pay', 'kakaopay', 'm/c')?.provider).toBe('*');
    expect(refusalOf(statuses, 'bank_transfer', 'kb', 'm/c')).toBeUndefined();
  });

  it('admits the probed share of payments, the same answer for the same payment, and refuses the rest with the notice', () => {
    const probed = known({
      ...status('card', 'shinhan', true, 1, 'Shinhan cards are down'),
      admittedPercent: 10,
    });
    const keys = Array.from({ length: 10_000 }, (_, index) => `merchant_1/checkout-${index}`);
    const admitted = keys.filter((key) => refusalOf(probed, 'card', 'shinhan', key) === undefined);

    expect(admitted.length).toBeGreaterThan(800);
    expect(admitted.length).toBeLessThan(1_200);
    expect(admitted.every((key) => admissionBucketOf(key) < 10)).toBe(true);
    const refusedKey = keys.find((key) => !admitted.includes(key)) ?? '';
    expect(refusalOf(probed, 'card', 'shinhan', refusedKey)?.notice).toBe('Shinhan cards are down');
    expect(keys.slice(0, 200).map((key) => refusalOf(probed, 'card', 'shinhan', key))).toEqual(
      keys.slice(0, 200).map((key) => refusalOf(probed, 'card', 'shinhan', key)),
    );
    // Other providers of the method are not probed.
    expect(keys.every((key) => refusalOf(probed, 'card', 'kb', key) === undefined)).toBe(true);
  });

  it('puts a payment in the same bucket every time, spread over 0–99', () => {
    expect(admissionBucketOf('merchant_1/checkout-7')).toBe(admissionBucketOf('merchant_1/checkout-7'));
    const buckets = new Set(Array.from({ length: 2_000 }, (_, index) => admissionBucketOf(`m/${index}`)));
    expect(Math.min(...buckets)).toBe(0);
    expect(Math.max(...buckets)).toBe(99);
    expect(buckets.size).toBe(100);
  });
});

describe('methodOffers', () => {
  it("lists each method with ops' switches and the executor's availability", () => {
    const statuses = known(
      status('card', 'shinhan', false, 1, 'Shinhan cards are down'),
      status('card', 'hana', false, 1),
      status('card', 'kb', true, 1),
      { ...status('card', 'hyundai', true, 1, 'Hyundai cards are down'), admittedPercent: 10 },
      status('easy_pay', '*', false, 1, 'easy pay is down'),
      { ...status('mobile', '*', true, 1, 'mobile is down'), admittedPercent: 25 },
    );
    const noPsp = (methodType: string) =>
      methodType === 'bank_transfer' ? { retryAfterSeconds: 30 } : undefined;
    expect(methodOffers(['card', 'easy_pay', 'bank_transfer', 'mobile'], statuses, noPsp)).toEqual([
      {
        type: 'card',
        available: true,
        disabledProviders: [{ provider: 'hana' }, { provider: 'shinhan', notice: 'Shinhan cards are down' }],
        limitedProviders: [{ provider: 'hyundai', notice: 'Hyundai cards are down' }],
      },
      {
        type: 'easy_pay',
        available: false,
        unavailableReason: 'switched_off',
        notice: 'easy pay is down',
        disabledProviders: [],
        limitedProviders: [],
      },
      {
        type: 'bank_transfer',
        available: false,
        unavailableReason: 'no_psp_available',
        retryAfterSeconds: 30,
        disabledProviders: [],
        limitedProviders: [],
      },
      {
        type: 'mobile',
        available: true,
        limited: true,
        notice: 'mobile is down',
        disabledProviders: [],
        limitedProviders: [],
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

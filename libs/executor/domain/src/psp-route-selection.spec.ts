import {
  ANY_PROVIDER,
  DEFAULT_PSP_ROUTES,
  isMethodAvailable,
  routesFor,
  selectPsp,
  type PspRoute,
} from './psp-route-selection';

const healthy = (): undefined => undefined;
const openFor =
  (...psps: string[]) =>
  (pspId: string): string | undefined =>
    psps.includes(pspId) ? 'breaker_open' : undefined;
const fixed = (value: number) => (): number => value;

describe('selectPsp', () => {
  it('draws by weight among the configured PSPs (card: acme 70 / nova 30)', () => {
    const request = { methodType: 'card' as const, routes: DEFAULT_PSP_ROUTES, unavailableReason: healthy };
    expect(selectPsp({ ...request, random: fixed(0) })).toEqual({
      kind: 'psp',
      pspId: 'acme',
      reason: 'weighted',
    });
    expect(selectPsp({ ...request, random: fixed(0.69) })).toMatchObject({ pspId: 'acme' });
    expect(selectPsp({ ...request, random: fixed(0.7) })).toEqual({
      kind: 'psp',
      pspId: 'nova',
      reason: 'weighted',
    });
  });

  it('splits traffic by the weights over many draws', () => {
    let seed = 1;
    const lcg = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let acme = 0;
    for (let draw = 0; draw < 10_000; draw += 1) {
      const choice = selectPsp({
        methodType: 'card',
        routes: DEFAULT_PSP_ROUTES,
        unavailableReason: healthy,
        random: lcg,
      });
      if (choice.kind === 'psp' && choice.pspId === 'acme') acme += 1;
    }
    expect(acme / 10_000).toBeGreaterThan(0.67);
    expect(acme / 10_000).toBeLessThan(0.73);
  });

  it('fails over from a PSP whose breaker is open, and records why', () => {
    expect(
      selectPsp({
        methodType: 'card',
        routes: DEFAULT_PSP_ROUTES,
        unavailableReason: openFor('acme'),
        random: fixed(0),
      }),
    ).toEqual({ kind: 'psp', pspId: 'nova', reason: 'failover_from_acme_breaker_open' });
  });

  it('keeps the drawn PSP, saying so, when every PSP of the method is out; unavailable without routes', () => {
    expect(
      selectPsp({
        methodType: 'card',
        routes: DEFAULT_PSP_ROUTES,
        unavailableReason: openFor('acme', 'nova'),
        random: fixed(0),
      }),
    ).toEqual({ kind: 'psp', pspId: 'acme', reason: 'no_eligible_psp_acme_breaker_open' });
    expect(
      selectPsp({ methodType: 'mobile', routes: DEFAULT_PSP_ROUTES, unavailableReason: healthy }),
    ).toMatchObject({
      kind: 'unavailable',
    });
  });

  it('moves an order whose last PSP certainly charged nothing to another PSP, with the proof', () => {
    const previous = { pspId: 'acme', proof: 'the PSP holds no charge for the order' };
    expect(
      selectPsp({
        methodType: 'card',
        routes: DEFAULT_PSP_ROUTES,
        unavailableReason: healthy,
        previous,
        random: fixed(0),
      }),
    ).toEqual({
      kind: 'psp',
      pspId: 'nova',
      reason: 'failover_from_acme: the PSP holds no charge for the order',
    });
  });

  it('retries the same PSP when it is the only eligible one, and says when it is out too', () => {
    const previous = { pspId: 'swiftpay', proof: 'PSP unavailable: 503' };
    expect(
      selectPsp({ methodType: 'easy_pay', routes: DEFAULT_PSP_ROUTES, unavailableReason: healthy, previous }),
    ).toEqual({ kind: 'psp', pspId: 'swiftpay', reason: 'retry_same_psp: PSP unavailable: 503' });
    expect(
      selectPsp({
        methodType: 'easy_pay',
        routes: DEFAULT_PSP_ROUTES,
        unavailableReason: openFor('swiftpay'),
        previous,
      }),
    ).toEqual({
      kind: 'psp',
      pspId: 'swiftpay',
      reason: 'no_eligible_psp_swiftpay_breaker_open: PSP unavailable: 503',
    });
  });
});

describe('routesFor and isMethodAvailable', () => {
  const routes: PspRoute[] = [
    ...DEFAULT_PSP_ROUTES,
    { methodType: 'card', provider: 'visa_bank', pspId: 'nova', weight: 1, enabled: true },
    { methodType: 'card', provider: 'disabled_bank', pspId: 'acme', weight: 5, enabled: false },
    { methodType: 'bank_transfer', provider: ANY_PROVIDER, pspId: 'acme', weight: 0, enabled: true },
  ];

  it("prefers a provider's own routes, else the method's '*' routes; disabled and zero weights never route", () => {
    expect(routesFor(routes, 'card', 'visa_bank').map((route) => route.pspId)).toEqual(['nova']);
    expect(routesFor(routes, 'card', 'other_bank').map((route) => route.pspId)).toEqual(['acme', 'nova']);
    expect(routesFor(routes, 'card', 'disabled_bank')).toEqual([]);
    expect(routesFor(routes, 'bank_transfer', undefined).map((route) => route.pspId)).toEqual(['nova']);
  });

  it('says a method is available while one of its PSPs can charge', () => {
    expect(isMethodAvailable(routes, 'card', openFor('acme'))).toBe(true);
    expect(isMethodAvailable(routes, 'card', openFor('acme', 'nova'))).toBe(false);
    expect(isMethodAvailable(routes, 'mobile', healthy)).toBe(false);
  });
});

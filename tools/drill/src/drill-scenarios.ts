/** What one checkout of a drill pays with: the method type, its provider, and the API's method. */
export interface DrillPaymentMethod {
  readonly methodType: 'card' | 'easy_pay';
  /** The card issuer or easy-pay provider. */
  readonly provider: string;
  readonly paymentMethod: Readonly<Record<string, string>>;
}

/** A method type and its provider: what a checkout is counted by. */
export interface PaymentKind {
  readonly methodType: string;
  readonly provider: string;
}

/** The acceptance targets a drill is judged by (issue 17); a drill without one of them reports it only. */
export interface DrillTargets {
  readonly detectMsMax?: number;
  readonly mitigateMsMax?: number;
  /** Share (0–1) of the watched payments sent during the fault that must complete. */
  readonly watchedSucceededMin?: number;
  /** The provider must be switched off for buyers with a notice while the fault lasts. */
  readonly providerSwitchedOff?: { readonly methodType: string; readonly provider: string };
  /** No incident may open (noise, load alone). */
  readonly noIncident?: boolean;
}

export interface DrillScenario {
  readonly name: string;
  readonly title: string;
  /** What happens, for the report. */
  readonly story: string;
  readonly defaultRatePerSecond: number;
  readonly defaultFaultSeconds: number;
  /** The checkouts' mix, by their index in the traffic. */
  readonly methodOf: (index: number) => DrillPaymentMethod;
  /** The psp-sim fault (POST /admin/faults), or none: a flood is traffic, not a fault. */
  readonly fault?: Readonly<Record<string, unknown>>;
  /** The traffic rate while the fault is in force, as a multiple of the base rate (a flood). */
  readonly faultRateMultiplier?: number;
  /** The incident the drill should open: its scope key (`psp:acme`, `provider:card/hyundai`). */
  readonly expectedScope?: string;
  /** Which checkouts the success share counts, and how the report names them. */
  readonly watched: { readonly label: string; readonly includes: (method: PaymentKind) => boolean };
  readonly targets: DrillTargets;
}

export const CARD_ISSUERS = ['shinhan', 'kb', 'hyundai', 'samsung'] as const;
export const EASY_PAY_PROVIDERS = ['kakaopay', 'naverpay'] as const;

const card = (issuer: string): DrillPaymentMethod => ({
  methodType: 'card',
  provider: issuer,
  paymentMethod: { type: 'card', token: 'tok_approve', issuer },
});

const easyPay = (provider: string): DrillPaymentMethod => ({
  methodType: 'easy_pay',
  provider,
  paymentMethod: { type: 'easy_pay', provider, token: 'tok_approve' },
});

/** Cards of every issuer in turn. */
const cardsInTurn = (index: number): DrillPaymentMethod =>
  card(CARD_ISSUERS[index % CARD_ISSUERS.length] ?? 'shinhan');

/** Cards and easy-pay in turn, each of its providers in turn. */
const cardsAndEasyPay = (index: number): DrillPaymentMethod =>
  index % 2 === 0
    ? cardsInTurn(index / 2)
    : easyPay(EASY_PAY_PROVIDERS[((index - 1) / 2) % EASY_PAY_PROVIDERS.length] ?? 'kakaopay');

const isCard = (method: PaymentKind) => method.methodType === 'card';

/** The failing card PSP of card-psp-down and slow-psp: the one with the larger card weight. */
export const DRILL_PSP = 'acme';
export const DRILL_ISSUER = 'hyundai';
export const DRILL_EASY_PAY_PROVIDER = 'kakaopay';

/** Issue 17's targets for one card PSP down. */
export const CARD_PSP_DOWN_TARGETS: DrillTargets = {
  detectMsMax: 30_000,
  mitigateMsMax: 60_000,
  watchedSucceededMin: 0.95,
};

export const DRILL_SCENARIOS: readonly DrillScenario[] = [
  {
    name: 'card-psp-down',
    title: 'One card PSP down',
    story: `${DRILL_PSP} answers every request with 503 while card payments of four issuers keep coming.`,
    defaultRatePerSecond: 10,
    defaultFaultSeconds: 90,
    methodOf: cardsInTurn,
    fault: { psp: DRILL_PSP, outage: '503' },
    expectedScope: `psp:${DRILL_PSP}`,
    watched: { label: 'card payments', includes: isCard },
    targets: CARD_PSP_DOWN_TARGETS,
  },
  {
    name: 'issuer-down',
    title: 'One card issuer failing at every PSP',
    story: `Every PSP answers 503 to charges of ${DRILL_ISSUER} cards; cards of three other issuers keep working.`,
    defaultRatePerSecond: 10,
    defaultFaultSeconds: 90,
    methodOf: cardsInTurn,
    fault: { issuer: DRILL_ISSUER, errorRate: 1 },
    expectedScope: `provider:card/${DRILL_ISSUER}`,
    watched: {
      label: `card payments of other issuers than ${DRILL_ISSUER}`,
      includes: (method) => isCard(method) && method.provider !== DRILL_ISSUER,
    },
    targets: {
      watchedSucceededMin: 0.95,
      providerSwitchedOff: { methodType: 'card', provider: DRILL_ISSUER },
    },
  },
  {
    name: 'easy-pay-maintenance',
    title: 'An easy-pay provider down past its maintenance window',
    story: `${DRILL_EASY_PAY_PROVIDER}'s announced maintenance overruns: swiftpay answers 503 to its charges for the whole fault, while naverpay and cards keep working.`,
    defaultRatePerSecond: 10,
    defaultFaultSeconds: 120,
    methodOf: cardsAndEasyPay,
    fault: { issuer: DRILL_EASY_PAY_PROVIDER, errorRate: 1 },
    expectedScope: `provider:easy_pay/${DRILL_EASY_PAY_PROVIDER}`,
    watched: {
      label: `payments of other methods than ${DRILL_EASY_PAY_PROVIDER}`,
      includes: (method) => method.provider !== DRILL_EASY_PAY_PROVIDER,
    },
    targets: {
      watchedSucceededMin: 0.95,
      providerSwitchedOff: { methodType: 'easy_pay', provider: DRILL_EASY_PAY_PROVIDER },
    },
  },
  {
    name: 'slow-psp',
    title: 'A slow card PSP',
    story: `${DRILL_PSP} answers every request after 6 s, past the executor's PSP timeout (5 s by default).`,
    defaultRatePerSecond: 10,
    defaultFaultSeconds: 90,
    methodOf: cardsInTurn,
    fault: { psp: DRILL_PSP, latencyMs: 6_000 },
    expectedScope: `psp:${DRILL_PSP}`,
    watched: { label: 'card payments', includes: isCard },
    targets: { watchedSucceededMin: 0.95 },
  },
  {
    name: 'launch-flood',
    title: 'A flood of launch-day traffic',
    story: 'Checkouts arrive at five times the base rate for the fault period; every PSP is healthy.',
    defaultRatePerSecond: 10,
    defaultFaultSeconds: 60,
    methodOf: cardsAndEasyPay,
    faultRateMultiplier: 5,
    watched: { label: 'payments accepted', includes: () => true },
    targets: { noIncident: true },
  },
];

export function scenarioNamed(name: string): DrillScenario | undefined {
  return DRILL_SCENARIOS.find((scenario) => scenario.name === name);
}

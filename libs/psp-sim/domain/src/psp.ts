/** The simulated PSPs; each has its own base path, credentials, wire dialect and port. */
export const PSP_IDS = ['acme', 'nova', 'swiftpay'] as const;
export type PspId = (typeof PSP_IDS)[number];

/** How the buyer pays; faults can target one method of a PSP. */
export const PAYMENT_METHODS = ['card', 'bank', 'easy_pay'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export function isPspId(value: unknown): value is PspId {
  return typeof value === 'string' && (PSP_IDS as readonly string[]).includes(value);
}

/** A value for each PSP of PSP_IDS: a map that grows with the list. */
export function perPsp<T>(valueOf: (psp: PspId) => T): Readonly<Record<PspId, T>> {
  return Object.fromEntries(PSP_IDS.map((psp) => [psp, valueOf(psp)])) as Record<PspId, T>;
}

/**
 * How the buyer pays. Each carries the PSP's token for the instrument (a card, an easy-pay account,
 * or the buyer's authorization of a bank account), never a card or account number.
 */
export type PaymentMethod =
  | { readonly type: 'card'; readonly issuer: string; readonly token: string }
  | { readonly type: 'easy_pay'; readonly provider: string; readonly token: string }
  | { readonly type: 'bank_transfer'; readonly bank: string; readonly token: string };

export type PaymentMethodType = PaymentMethod['type'];

export const PAYMENT_METHOD_TYPES: readonly PaymentMethodType[] = ['card', 'easy_pay', 'bank_transfer'];

/** The issuer, easy-pay provider or bank: what routing and outage detection act on. */
export function providerOf(method: PaymentMethod): string {
  switch (method.type) {
    case 'card':
      return method.issuer;
    case 'easy_pay':
      return method.provider;
    case 'bank_transfer':
      return method.bank;
  }
}

/** The PSP's token for the buyer's instrument. */
export function instrumentTokenOf(method: PaymentMethod): string {
  return method.token;
}

export interface Buyer {
  readonly id: string;
  readonly email?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country?: string;
}

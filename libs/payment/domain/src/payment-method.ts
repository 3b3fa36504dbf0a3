/** How the buyer pays. Card and easy-pay carry the PSP's token for the instrument, never a card number. */
export type PaymentMethod =
  | { readonly type: 'card'; readonly issuer: string; readonly token: string }
  | { readonly type: 'easy_pay'; readonly provider: string; readonly token: string }
  | { readonly type: 'bank_transfer'; readonly bank: string };

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

/** The PSP's token for the buyer's instrument; a bank transfer has none. */
export function instrumentTokenOf(method: PaymentMethod): string | undefined {
  switch (method.type) {
    case 'card':
    case 'easy_pay':
      return method.token;
    case 'bank_transfer':
      return undefined;
  }
}

export interface Buyer {
  readonly id: string;
  readonly email?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country?: string;
}

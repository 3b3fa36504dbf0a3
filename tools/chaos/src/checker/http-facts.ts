import type { MerchantKeys } from '@keel/local-system';
import type { AccountBalance, KeelPayment, LedgerSelfCheck, SimulatorCharge } from './chaos-facts';

/** Requests the checker has in flight at once, so reading does not load the system it checks. */
export const HTTP_READ_CONCURRENCY = 16;
const LEDGER_PAGE_SIZE = 500;

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** `work` over every item, at most `concurrency` at a time, results in item order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export function simulatorChargesOf(simUrl: string): Promise<SimulatorCharge[]> {
  return getJson<SimulatorCharge[]>(`${simUrl}/admin/charges`);
}

interface PaymentSummary {
  id: string;
  checkoutId: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  orders: {
    id: string;
    sellerId: string;
    amount: { amountMinor: string; currency: string };
    status: string;
    pspId: string | null;
  }[];
}

/** Every payment the payment API lists for a merchant's checkout (`?checkoutId=`). */
export async function paymentsOfCheckout(
  paymentUrl: string,
  keys: MerchantKeys,
  merchantId: string,
  checkoutId: string,
): Promise<KeelPayment[]> {
  const page = await getJson<{ data: PaymentSummary[] }>(
    `${paymentUrl}/v1/payments?checkoutId=${encodeURIComponent(checkoutId)}`,
    { authorization: await keys.authorizationFor(merchantId) },
  );
  return page.data.map((payment) => ({
    id: payment.id,
    merchantId,
    checkoutId: payment.checkoutId,
    status: payment.status,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    orders: payment.orders.map((order) => ({
      id: order.id,
      sellerId: order.sellerId,
      amountMinor: order.amount.amountMinor,
      currency: order.amount.currency,
      status: order.status,
      pspId: order.pspId,
    })),
  }));
}

/**
 * A merchant's seller's balances from the wallet API, read as an operator (`authorization`); a
 * seller never credited has none (404).
 */
export async function walletBalancesOf(
  walletUrl: string,
  authorization: string,
  merchantId: string,
  sellerId: string,
): Promise<AccountBalance[]> {
  const path = `/v1/merchants/${encodeURIComponent(merchantId)}/wallets/${encodeURIComponent(sellerId)}`;
  const response = await fetch(`${walletUrl}${path}`, {
    headers: { authorization },
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  const wallet = (await response.json()) as {
    balances: { currency: string; balance: { amountMinor: string } }[];
  };
  return wallet.balances.map((balance) => ({
    merchantId,
    owner: sellerId,
    currency: balance.currency,
    balanceMinor: balance.balance.amountMinor,
  }));
}

/** Every ledger account of one kind, page by page, balances on the account's normal side (read as an operator). */
export async function ledgerAccountsOf(
  ledgerUrl: string,
  authorization: string,
  kind: string,
): Promise<AccountBalance[]> {
  const accounts: AccountBalance[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: {
      data: {
        owner: string | null;
        merchantId: string | null;
        currency: string;
        balance: { amountMinor: string };
      }[];
      nextCursor: string | null;
    } = await getJson(`${ledgerUrl}/v1/accounts?kind=${kind}&limit=${LEDGER_PAGE_SIZE}${query}`, {
      authorization,
    });
    for (const account of page.data) {
      accounts.push({
        ...(account.merchantId === null ? {} : { merchantId: account.merchantId }),
        owner: account.owner ?? '',
        currency: account.currency,
        balanceMinor: account.balance.amountMinor,
      });
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return accounts;
}

export async function ledgerSelfCheckOf(ledgerUrl: string, authorization: string): Promise<LedgerSelfCheck> {
  const [trial, check] = await Promise.all([
    getJson<{ balanced: boolean; currencies: { currency: string; balanced: boolean }[] }>(
      `${ledgerUrl}/v1/trial-balance`,
      { authorization },
    ),
    getJson<{ consistent: boolean; mismatches: { accountId: string }[] }>(`${ledgerUrl}/v1/balance-check`, {
      authorization,
    }),
  ]);
  return {
    trialBalanced: trial.balanced,
    unbalancedCurrencies: trial.currencies.filter((currency) => !currency.balanced).map((c) => c.currency),
    balancesConsistent: check.consistent,
    mismatchedAccountIds: check.mismatches.map((mismatch) => mismatch.accountId),
  };
}

import { randomUUID } from 'node:crypto';
import {
  DEFAULT_PORTS,
  configuredPort,
  localApiKeyStore,
  MerchantKeys,
  operatorAuthorizationFor,
} from '@keel/local-system';
import { waitFor } from '@keel/testing';
import { DEMO_CHECKOUTS } from './checkout-mix';

const MERCHANT_ID = process.env['DEMO_MERCHANT_ID'] ?? 'merchant_demo';
const TERMINAL = new Set(['completed', 'failed', 'partially_failed']);

function serviceUrl(name: 'payment' | 'wallet' | 'ledger'): string {
  return `http://127.0.0.1:${configuredPort(name, DEFAULT_PORTS[name])}`;
}

interface PaymentView {
  id: string;
  status: string;
  amount: { amountMinor: string; currency: string };
  orders: { id: string; sellerId: string; status: string }[];
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** `npm run demo`: sends a mix of checkouts to a running Keel and prints how each ended. */
async function main(): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const authorization = await new MerchantKeys(localApiKeyStore()).authorizationFor(MERCHANT_ID);
  // Wallet and ledger reads are for operators: a viewer's token for the local Keel of npm start.
  const operator = operatorAuthorizationFor({ KEEL_PROFILE: 'local', ...process.env }, 'viewer', 'keel-demo');
  const accepted = await Promise.all(
    DEMO_CHECKOUTS.map(async (checkout, index) => {
      const response = await fetch(`${serviceUrl('payment')}/v1/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `demo-${run}-${index}`,
          authorization,
        },
        body: JSON.stringify({
          checkoutId: `demo-${run}-${index}`,
          currency: checkout.currency,
          buyer: { id: `buyer_${index % 3}`, country: 'KR' },
          paymentMethod: checkout.paymentMethod,
          orders: checkout.orders,
        }),
      });
      return { checkout, payment: await json<PaymentView>(response) };
    }),
  );
  console.log(`sent ${accepted.length} checkouts; waiting for their end states ...\n`);
  for (const { checkout, payment } of accepted) {
    const final = await waitFor(
      async () => {
        const view = await json<PaymentView>(
          await fetch(`${serviceUrl('payment')}/v1/payments/${payment.id}`, {
            headers: { authorization },
          }),
        );
        return TERMINAL.has(view.status) && view;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `payment ${payment.id}` },
    );
    const orders = final.orders.map((order) => `${order.sellerId}:${order.status}`).join(', ');
    console.log(
      `${checkout.label.padEnd(36)} ${final.id}  ${final.status.padEnd(16)} ${final.amount.amountMinor} ${final.amount.currency}  [${orders}]`,
    );
  }
  const sellers = [
    ...new Set(DEMO_CHECKOUTS.flatMap((checkout) => checkout.orders.map((order) => order.sellerId))),
  ];
  console.log('\nseller balances (wallet):');
  for (const sellerId of sellers) {
    const response = await fetch(`${serviceUrl('wallet')}/v1/merchants/${MERCHANT_ID}/wallets/${sellerId}`, {
      headers: { authorization: operator },
    });
    if (response.status === 404) {
      console.log(`  ${sellerId.padEnd(16)} no credits yet`);
      continue;
    }
    const wallet = await json<{ balances: { balance: { amountMinor: string; currency: string } }[] }>(
      response,
    );
    console.log(
      `  ${sellerId.padEnd(16)} ${wallet.balances.map((b) => `${b.balance.amountMinor} ${b.balance.currency}`).join(', ')}`,
    );
  }
  const trialBalance = await json<{
    currencies: {
      currency: string;
      balanced: boolean;
      totalDebits: { amountMinor: string };
      totalCredits: { amountMinor: string };
    }[];
  }>(await fetch(`${serviceUrl('ledger')}/v1/trial-balance`, { headers: { authorization: operator } }));
  console.log('\ntrial balance (ledger):');
  for (const row of trialBalance.currencies) {
    const verdict = row.balanced ? 'balanced' : 'NOT BALANCED';
    console.log(
      `  ${row.currency}  debits ${row.totalDebits.amountMinor}  credits ${row.totalCredits.amountMinor}  ${verdict}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

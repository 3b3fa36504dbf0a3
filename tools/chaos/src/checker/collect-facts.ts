import type { MerchantKeys } from '@keel/local-system';
import type { KafkaClient } from '@keel/messaging';
import type { CheckoutRecord } from '../workload/checkout-client';
import { WORKLOAD_MERCHANTS, WORKLOAD_SELLERS } from '../workload/checkout-plan';
import type { ChaosFacts, CheckoutFacts } from './chaos-facts';
import {
  HTTP_READ_CONCURRENCY,
  ledgerAccountsOf,
  ledgerSelfCheckOf,
  mapBounded,
  paymentsOfCheckout,
  simulatorChargesOf,
  walletBalancesOf,
} from './http-facts';
import { reconcileRunDays, type ReconciliationSources } from './reconciliation-facts';
import { collectTopicFacts } from './topic-facts';

export interface FactSources {
  readonly paymentUrl: string;
  /** The merchants' API keys the payment API is read with. */
  readonly keys: MerchantKeys;
  readonly walletUrl: string;
  readonly ledgerUrl: string;
  /** `Authorization` of a viewer, for the wallet and ledger reads (a fresh token each call). */
  readonly operatorAuthorization: () => string;
  readonly simUrl: string;
  readonly kafka: KafkaClient;
  readonly topicOf: (name: string) => string;
  /** How long reading a topic to its end may take. */
  readonly topicReadTimeoutMs: number;
  readonly reconciliation: ReconciliationSources;
}

/** Gathers every fact after quiescence: HTTP APIs, psp-sim's truth, the topics and reconciliation's runs. */
export async function collectFacts(
  sources: FactSources,
  checkouts: readonly CheckoutRecord[],
  faultsEndedAtMs: number,
): Promise<ChaosFacts & { unparsedRecords: number }> {
  const listed = await mapBounded(checkouts, HTTP_READ_CONCURRENCY, (record) =>
    paymentsOfCheckout(
      sources.paymentUrl,
      sources.keys,
      record.planned.merchantId,
      record.planned.body.checkoutId,
    ),
  );
  const checkoutFacts: CheckoutFacts[] = checkouts.map((record, index) => ({
    idempotencyKey: record.planned.idempotencyKey,
    merchantId: record.planned.merchantId,
    answeredPaymentIds: record.attempts.flatMap((attempt) =>
      attempt.paymentId === undefined ? [] : [attempt.paymentId],
    ),
    listedPaymentIds: (listed[index] ?? []).map((payment) => payment.id),
  }));
  const topics = await collectTopicFacts(sources.kafka, sources.topicOf, sources.topicReadTimeoutMs);
  // Every seller of every workload merchant, so that a wallet credited without its event shows too.
  const workloadWallets = WORKLOAD_MERCHANTS.flatMap((merchantId) =>
    WORKLOAD_SELLERS.map((sellerId) => ({ merchantId, sellerId })),
  );
  const wallets = [
    ...new Map(
      [...workloadWallets, ...topics.walletCredits].map(({ merchantId, sellerId }) => [
        JSON.stringify([merchantId, sellerId]),
        { merchantId, sellerId },
      ]),
    ).values(),
  ];
  const authorization = sources.operatorAuthorization();
  const [simulatorCharges, walletBalances, sellerPayables, pspClearings, ledgerSelfCheck] = await Promise.all(
    [
      simulatorChargesOf(sources.simUrl),
      mapBounded(wallets, HTTP_READ_CONCURRENCY, ({ merchantId, sellerId }) =>
        walletBalancesOf(sources.walletUrl, authorization, merchantId, sellerId),
      ),
      ledgerAccountsOf(sources.ledgerUrl, authorization, 'seller_payable'),
      ledgerAccountsOf(sources.ledgerUrl, authorization, 'psp_clearing'),
      ledgerSelfCheckOf(sources.ledgerUrl, authorization),
    ],
  );
  // Last, once every other fact is read: each PSP's days from the first payment's to now.
  const firstPaymentMs = Math.min(
    Date.now(),
    ...listed.flat().map((payment) => Date.parse(payment.createdAt)),
  );
  const reconciliation = await reconcileRunDays(sources.reconciliation, firstPaymentMs, Date.now());
  return {
    simulatorCharges,
    checkouts: checkoutFacts,
    payments: listed.flat(),
    ...topics,
    walletBalances: walletBalances.flat(),
    sellerPayables,
    pspClearings,
    ledgerSelfCheck,
    reconciliation,
    faultsEndedAtMs,
  };
}

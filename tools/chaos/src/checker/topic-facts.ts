import {
  LEDGER_EVENT_TYPES,
  ORPHAN_CHARGE_EVENT_TYPES,
  TOPICS,
  WALLET_EVENT_TYPES,
  parseKafkaRecord,
  type IncomingKafkaRecord,
  type LedgerTransactionRecordedPayload,
  type OrphanChargeDetectedPayload,
  type WalletCreditedPayload,
} from '@keel/contracts';
import type { IncomingRecord, KafkaClient } from '@keel/messaging';
import { TopicReader } from '@keel/testing';
import type { LedgerTransaction, OrphanDetection, WalletCredit } from './chaos-facts';

/** The merchant the wallet and ledger give sellers credited before they were scoped to merchants. */
const UNKNOWN_MERCHANT_ID = 'unknown';

export interface TopicFacts {
  readonly walletCredits: WalletCredit[];
  readonly ledgerTransactions: LedgerTransaction[];
  readonly orphanDetections: OrphanDetection[];
  /** Records that did not parse against the contracts: counted, as they would be a bug too. */
  readonly unparsedRecords: number;
}

async function readToEnd(kafka: KafkaClient, topic: string, timeoutMs: number): Promise<IncomingRecord[]> {
  const reader = await TopicReader.start(kafka, topic);
  try {
    return await reader.waitUntilCaughtUp({ timeoutMs, intervalMs: 500 });
  } finally {
    await reader.stop();
  }
}

function envelopesOf(records: readonly IncomingRecord[]): {
  envelopes: { id: string; type: string; data: object }[];
  unparsed: number;
} {
  const envelopes: { id: string; type: string; data: object }[] = [];
  let unparsed = 0;
  for (const record of records) {
    const parsed = parseKafkaRecord(record as IncomingKafkaRecord);
    if (parsed.ok) envelopes.push(parsed.envelope);
    else unparsed += 1;
  }
  return { envelopes, unparsed };
}

/**
 * The wallet, ledger and payment-order topics read from the beginning to their current end, in
 * consumer groups of their own; the invariants deduplicate by CloudEvents id.
 */
export async function collectTopicFacts(
  kafka: KafkaClient,
  topicOf: (name: string) => string,
  timeoutMs: number,
): Promise<TopicFacts> {
  const [wallet, ledger, paymentOrder] = (await Promise.all(
    [TOPICS.wallet, TOPICS.ledger, TOPICS.paymentOrder].map(async (name) =>
      envelopesOf(await readToEnd(kafka, topicOf(name), timeoutMs)),
    ),
  )) as [ReturnType<typeof envelopesOf>, ReturnType<typeof envelopesOf>, ReturnType<typeof envelopesOf>];
  const walletCredits = wallet.envelopes
    .filter((envelope) => envelope.type === WALLET_EVENT_TYPES.credited)
    .map((envelope) => {
      const data = envelope.data as WalletCreditedPayload;
      return {
        eventId: envelope.id,
        merchantId: data.merchantId ?? UNKNOWN_MERCHANT_ID,
        sellerId: data.sellerId,
        paymentOrderId: data.paymentOrderId,
      };
    });
  const ledgerTransactions = ledger.envelopes
    .filter((envelope) => envelope.type === LEDGER_EVENT_TYPES.transactionRecorded)
    .map((envelope) => {
      const data = envelope.data as LedgerTransactionRecordedPayload;
      return {
        eventId: envelope.id,
        transactionId: data.transactionId,
        paymentOrderId: data.paymentOrderId,
        kind: data.kind,
        postings: data.postings.map((posting) => ({
          accountId: posting.accountId,
          direction: posting.direction,
          amountMinor: posting.amount.amountMinor,
          currency: posting.amount.currency,
        })),
      };
    });
  const orphanDetections = paymentOrder.envelopes
    .filter((envelope) => envelope.type === ORPHAN_CHARGE_EVENT_TYPES.detected)
    .map((envelope) => {
      const data = envelope.data as OrphanChargeDetectedPayload;
      return { eventId: envelope.id, paymentOrderId: data.paymentOrderId, pspId: data.pspId };
    });
  return {
    walletCredits,
    ledgerTransactions,
    orphanDetections,
    unparsedRecords: wallet.unparsed + ledger.unparsed + paymentOrder.unparsed,
  };
}

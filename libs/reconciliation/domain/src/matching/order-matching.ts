import type { SettlementRow } from '../settlement-row';
import { classifyOrder } from './classify-order';
import type { ClassifiedOrder } from './classification';
import type { KeelOrderView } from './keel-order-view';
import type { JoinedGroup, MergeJoinOptions } from './merge-join';
import { DEFAULT_MAX_ROWS_PER_KEY, MergeJoinError } from './merge-join';

type MatchKeys = Pick<MergeJoinOptions<KeelOrderView, SettlementRow>, 'keelKey' | 'rowKey'>;

/**
 * The two keys orders and rows are matched by: first the PSP's reference (Keel's side only orders
 * that hold one), then, for what is left unpaired, Keel's payment order id, which rows carry as
 * the merchant reference.
 */
export const MATCH_KEYS: Readonly<Record<'pspReference' | 'merchantReference', MatchKeys>> = {
  pspReference: {
    keelKey: (order) => {
      if (order.pspReference === undefined) {
        throw new MergeJoinError(`order ${order.merchantReference} has no PSP reference to be matched by`);
      }
      return order.pspReference;
    },
    rowKey: (row) => row.pspReference,
  },
  merchantReference: { keelKey: (order) => order.merchantReference, rowKey: (row) => row.merchantReference },
};

export function matchOptions(
  key: keyof typeof MATCH_KEYS,
  maxRowsPerKey = DEFAULT_MAX_ROWS_PER_KEY,
): MergeJoinOptions<KeelOrderView, SettlementRow> {
  return { ...MATCH_KEYS[key], maxRowsPerKey };
}

/** A group one side of which is empty: after the PSP-reference pass, it goes on to the merchant-reference pass. */
export function isUnpaired(group: JoinedGroup<KeelOrderView, SettlementRow>): boolean {
  return group.keel === undefined || group.rows.length === 0;
}

/** Classifies joined groups as they stream past. */
export async function* classifyJoined(
  groups: AsyncIterable<JoinedGroup<KeelOrderView, SettlementRow>>,
  settlementDate: string,
): AsyncGenerator<ClassifiedOrder> {
  for await (const group of groups) yield classifyOrder(group.keel, group.rows, settlementDate);
}

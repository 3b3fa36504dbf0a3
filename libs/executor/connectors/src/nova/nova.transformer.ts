import { createHash } from 'node:crypto';
import { capturedAmountOf } from '../captured-amount';
import type { KeelDeclineCode } from '../decline-code';
import type { WireReader } from '../http/wire-reader';
import {
  PspProtocolError,
  PspRejectedRequestError,
  PspUnknownOutcomeError,
  type PspError,
} from '../psp.error';
import type { PspOutcome } from '../psp-connector';

export const NOVA_PSP_ID = 'nova';

/** What a nova result code means; the code itself is a pattern, so it is classified first. */
export const NOVA_RESULT_CLASSES = [
  'approved',
  'declined',
  'pending',
  'cancelled',
  'not_found',
  'request_error',
  'server_error',
] as const;
export type NovaResultClass = (typeof NOVA_RESULT_CLASSES)[number];

export interface NovaTransaction {
  readonly resultCode: string;
  readonly resultClass: NovaResultClass;
  readonly resultMessage: string;
  readonly tid?: string;
  readonly orderNo?: string;
  readonly amountMinor?: bigint;
  readonly currency?: string;
}

const NOVA_DECLINE_CODES: Readonly<Record<string, KeelDeclineCode>> = {
  D051: 'insufficient_funds',
  D014: 'invalid_card',
  D054: 'expired_card',
  D005: 'do_not_honor',
  D061: 'amount_limit_exceeded',
};

/** Throws PspProtocolError for a code that fits no documented pattern. */
export function classifyNovaResultCode(resultCode: string): NovaResultClass {
  if (resultCode === '0000') return 'approved';
  if (resultCode === 'P000') return 'pending';
  if (resultCode === 'C000') return 'cancelled';
  if (resultCode === 'E404') return 'not_found';
  if (/^D0\d\d$/.test(resultCode)) return 'declined';
  if (/^E4\d\d$/.test(resultCode)) return 'request_error';
  if (/^E5\d\d$/.test(resultCode)) return 'server_error';
  throw new PspProtocolError(NOVA_PSP_ID, `unknown result code '${resultCode}'`);
}

/** nova's decline codes in Keel's words; a D0xx code Keel does not map is a plain `declined`. */
export function novaDeclineCodeOf(resultCode: string): KeelDeclineCode {
  return NOVA_DECLINE_CODES[resultCode] ?? 'declined';
}

export function readNovaTransaction(reader: WireReader): NovaTransaction {
  const resultCode = reader.string('result_code');
  return {
    resultCode,
    resultClass: classifyNovaResultCode(resultCode),
    resultMessage: reader.optionalString('result_msg') ?? resultCode,
    tid: reader.optionalString('tid'),
    orderNo: reader.optionalString('order_no'),
    amountMinor: reader.optionalAmountMinor('amt'),
    currency: reader.optionalString('cur'),
  };
}

function tidOf(transaction: NovaTransaction): string {
  if (transaction.tid === undefined || transaction.tid.length === 0) {
    throw new PspProtocolError(NOVA_PSP_ID, `result ${transaction.resultCode} without a tid`);
  }
  return transaction.tid;
}

/**
 * An error nova reported in the body of a 200, as the typed error its HTTP equivalent would be:
 * E4xx (and E404) is a request we got wrong, E5xx may have been processed.
 */
export function novaInBandError(transaction: NovaTransaction): PspError {
  const message = `result ${transaction.resultCode}: ${transaction.resultMessage}`;
  return transaction.resultClass === 'server_error'
    ? new PspUnknownOutcomeError(NOVA_PSP_ID, message)
    : new PspRejectedRequestError(NOVA_PSP_ID, message, transaction.resultCode);
}

/** An approved transaction: its tid and the amount (`amt`, `cur`) nova says it captured. */
export function novaSucceededOutcome(transaction: NovaTransaction): PspOutcome {
  const tid = tidOf(transaction);
  return {
    kind: 'succeeded',
    pspReference: tid,
    captured: capturedAmountOf(NOVA_PSP_ID, tid, transaction.amountMinor, transaction.currency),
  };
}

/** A transaction in Keel's words; an in-band error is thrown as its typed error. */
export function novaOutcomeOf(transaction: NovaTransaction): PspOutcome {
  switch (transaction.resultClass) {
    case 'approved':
      return novaSucceededOutcome(transaction);
    case 'declined': {
      const outcome = {
        kind: 'declined',
        code: novaDeclineCodeOf(transaction.resultCode),
        message: transaction.resultMessage,
        pspCode: transaction.resultCode,
      } as const;
      return transaction.tid === undefined ? outcome : { ...outcome, pspReference: transaction.tid };
    }
    case 'pending':
      return { kind: 'pending', pspReference: tidOf(transaction) };
    case 'cancelled':
      return { kind: 'cancelled', pspReference: tidOf(transaction) };
    case 'not_found':
    case 'request_error':
    case 'server_error':
      throw novaInBandError(transaction);
    default: {
      const unreachable: never = transaction.resultClass;
      throw new PspProtocolError(NOVA_PSP_ID, `unmapped result class '${String(unreachable)}'`);
    }
  }
}

/** `sign`: hex SHA-256 of "<mid>|<order_no>|<amt>|<secret>". */
export function novaSign(merchantId: string, orderNo: string, amount: string, secret: string): string {
  return createHash('sha256').update(`${merchantId}|${orderNo}|${amount}|${secret}`).digest('hex');
}

/** A transaction for another order, amount or currency than asked is never taken as ours. */
export function assertTransactionMatches(
  transaction: NovaTransaction,
  expected: { orderNo: string; amountMinor?: bigint; currency?: string },
): void {
  const mismatches = [
    transaction.orderNo !== undefined && transaction.orderNo !== expected.orderNo ? 'order_no' : undefined,
    transaction.amountMinor !== undefined &&
    expected.amountMinor !== undefined &&
    transaction.amountMinor !== expected.amountMinor
      ? 'amt'
      : undefined,
    transaction.currency !== undefined &&
    expected.currency !== undefined &&
    transaction.currency !== expected.currency
      ? 'cur'
      : undefined,
  ].filter((field) => field !== undefined);
  if (mismatches.length > 0) {
    throw new PspProtocolError(
      NOVA_PSP_ID,
      `transaction ${transaction.tid ?? '?'} differs in ${mismatches.join(', ')}`,
    );
  }
}

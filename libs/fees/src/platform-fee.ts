import { isRoundingMode, Money, percentageOfBasisPoints, type RoundingMode } from '@keel/money';

/** The payment method types a fee is set for (the `type` of a payment method in the contracts). */
export const FEE_METHOD_TYPES = ['card', 'easy_pay', 'bank_transfer', 'mobile'] as const;
export type FeeMethodType = (typeof FEE_METHOD_TYPES)[number];

export interface FeePolicy {
  basisPointsByMethod: Readonly<Record<FeeMethodType, number>>;
  rounding: RoundingMode;
}

export const DEFAULT_FEE_POLICY: FeePolicy = {
  basisPointsByMethod: { card: 250, easy_pay: 300, bank_transfer: 100, mobile: 350 },
  rounding: 'half_even',
};

export class FeePolicyError extends Error {
  override readonly name = 'FeePolicyError';
}

/**
 * The platform's fee on one charge: amount × basis points / 10,000, rounded by the policy's mode,
 * and capped at amount − 1 so that the seller is always credited at least one minor unit (a
 * credit of zero would be no credit at all). Only the payment service computes it, once per order
 * when it accepts the payment; the fee then travels in the order's events, and wallet and ledger
 * apply that one fee, so the seller's wallet balance equals the ledger's seller payable (I5).
 */
export function platformFeeOf(amount: Money, methodType: FeeMethodType, policy: FeePolicy): Money {
  if (!amount.isPositive())
    throw new FeePolicyError(`a fee is only taken on a positive amount, got ${amount.toString()}`);
  const computed = percentageOfBasisPoints(amount, policy.basisPointsByMethod[methodType], policy.rounding);
  const cap = amount.minus(Money.of(1n, amount.currency));
  const fee = computed.compare(cap) > 0 ? cap : computed;
  assertPlatformFeeOf(amount, fee);
  return fee;
}

/**
 * A fee as every fee must be before money moves on it: in the amount's currency, not negative, and
 * below the amount (the seller keeps at least one minor unit). Checked where a fee is received
 * rather than computed: a fee that fails can never be applied.
 */
export function assertPlatformFeeOf(amount: Money, fee: Money): void {
  if (!fee.hasSameCurrency(amount))
    throw new FeePolicyError(`fee ${fee.toString()} is not in the currency of ${amount.toString()}`);
  if (fee.isNegative() || fee.compare(amount) >= 0)
    throw new FeePolicyError(`fee ${fee.toString()} is outside 0 ≤ fee < ${amount.toString()}`);
}

/** Reads a policy from configuration text (e.g. `{"card":250}` and `half_even`), checking every value. */
export function parseFeePolicy(basisPointsJson: string | undefined, rounding: string | undefined): FeePolicy {
  const overrides = parseJson(basisPointsJson);
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new FeePolicyError('fee basis points must be a JSON object of method type to integer');
  }
  const basisPointsByMethod = { ...DEFAULT_FEE_POLICY.basisPointsByMethod };
  for (const [method, value] of Object.entries(overrides)) {
    if (!(FEE_METHOD_TYPES as readonly string[]).includes(method))
      throw new FeePolicyError(`unknown payment method type "${method}"`);
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= 10_000) {
      throw new FeePolicyError(
        `fee for ${method} must be an integer from 0 to 9999 basis points, got ${String(value)}`,
      );
    }
    basisPointsByMethod[method as FeeMethodType] = value as number;
  }
  const mode = rounding === undefined || rounding === '' ? DEFAULT_FEE_POLICY.rounding : rounding;
  if (!isRoundingMode(mode)) throw new FeePolicyError(`unknown rounding mode "${mode}"`);
  return { basisPointsByMethod, rounding: mode };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new FeePolicyError('fee basis points are not valid JSON');
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { MerchantKeys } from '@keel/local-system';
import { sendCheckout, type CheckoutRecord } from './checkout-client';
import type { PlannedCheckout } from './checkout-plan';
import type { RetryPolicy } from './retry-policy';

/**
 * Open loop: each planned checkout leaves at its time whatever the earlier ones are doing. An
 * abort stops new arrivals; checkouts already sent finish their bounded retries. Each merchant's
 * API key is made before the first checkout leaves.
 */
export async function runWorkload(
  paymentUrl: string,
  keys: MerchantKeys,
  plan: readonly PlannedCheckout[],
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<CheckoutRecord[]> {
  await Promise.all(
    [...new Set(plan.map((planned) => planned.merchantId))].map((merchantId) => keys.keyFor(merchantId)),
  );
  const startMs = Date.now();
  const sent: Promise<CheckoutRecord>[] = [];
  for (const planned of plan) {
    await sleep(Math.max(0, startMs + planned.atMs - Date.now()));
    if (signal?.aborted === true) break;
    sent.push(sendCheckout(paymentUrl, keys, planned, policy));
  }
  return Promise.all(sent);
}

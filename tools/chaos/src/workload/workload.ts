import { setTimeout as sleep } from 'node:timers/promises';
import { sendCheckout, type CheckoutRecord } from './checkout-client';
import type { PlannedCheckout } from './checkout-plan';
import type { RetryPolicy } from './retry-policy';

/**
 * Open loop: each planned checkout leaves at its time whatever the earlier ones are doing. An
 * abort stops new arrivals; checkouts already sent finish their bounded retries.
 */
export async function runWorkload(
  paymentUrl: string,
  plan: readonly PlannedCheckout[],
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<CheckoutRecord[]> {
  const startMs = Date.now();
  const sent: Promise<CheckoutRecord>[] = [];
  for (const planned of plan) {
    await sleep(startMs + planned.atMs - Date.now());
    if (signal?.aborted === true) break;
    sent.push(sendCheckout(paymentUrl, planned, policy));
  }
  return Promise.all(sent);
}

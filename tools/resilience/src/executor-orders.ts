/** The executor's own account of each payment order (GET /v1/payment-orders/{id}, for operators). */

export interface ExecutorAttempt {
  readonly kind: 'charge' | 'inquiry';
  readonly pspId: string;
  readonly outcome?: string;
  readonly errorCode?: string;
  readonly startedAt: string;
}

export interface ExecutorOrder {
  readonly paymentOrderId: string;
  readonly status: string;
  readonly completedAt?: string;
  readonly inquiryCount: number;
  readonly attempts: readonly ExecutorAttempt[];
}

const FETCH_CONCURRENCY = 20;

async function fetchOrder(
  executorUrl: string,
  authorization: string,
  paymentOrderId: string,
): Promise<ExecutorOrder> {
  const response = await fetch(`${executorUrl}/v1/payment-orders/${paymentOrderId}`, {
    headers: { authorization },
  });
  if (!response.ok) throw new Error(`GET /v1/payment-orders/${paymentOrderId} answered ${response.status}`);
  return (await response.json()) as ExecutorOrder;
}

/**
 * Every order, a bounded number of requests at a time so the read does not load the executor, read
 * with a viewer's `authorization`.
 */
export async function fetchExecutorOrders(
  executorUrl: string,
  authorization: string,
  paymentOrderIds: readonly string[],
): Promise<ExecutorOrder[]> {
  const orders: ExecutorOrder[] = [];
  for (let index = 0; index < paymentOrderIds.length; index += FETCH_CONCURRENCY) {
    const batch = paymentOrderIds.slice(index, index + FETCH_CONCURRENCY);
    orders.push(...(await Promise.all(batch.map((id) => fetchOrder(executorUrl, authorization, id)))));
  }
  return orders;
}

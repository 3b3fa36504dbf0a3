import { setTimeout as sleep } from 'node:timers/promises';

const PROBE_INTERVAL_MS = 250;

/**
 * Asks `brokerAnswers` every 250 ms until it says the cluster has a broker and a controller;
 * rejects after `timeoutMs` with the last error seen. Shared by every client adapter's admin.
 */
export async function waitForBrokerAnswer(
  brokerAnswers: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await brokerAnswers()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(PROBE_INTERVAL_MS);
  }
  const reason = lastError instanceof Error ? lastError.message : 'no broker answered';
  throw new Error(`Kafka did not answer a metadata request within ${timeoutMs} ms: ${reason}`);
}

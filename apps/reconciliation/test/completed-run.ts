import { operatorAuthorization } from '@keel/testing';
import type { ReconciliationRun } from '../src/runs/reconciliation-run';

/**
 * Runs a PSP's day through the API as an operator and expects it completed (201); the run, its
 * summary typed as the spec reads it.
 */
export async function completedRunOf<T extends ReconciliationRun>(
  baseUrl: string,
  psp: string,
  date: string,
): Promise<T> {
  const response = await fetch(`${baseUrl}/v1/reconciliation/runs`, {
    method: 'POST',
    headers: {
      authorization: operatorAuthorization('operator', { name: 'recon-test' }),
      'content-type': 'application/json',
    },
    body: JSON.stringify({ psp, date }),
  });
  const run = (await response.json()) as T;
  expect({ status: response.status, runStatus: run.status }).toEqual({ status: 201, runStatus: 'completed' });
  return run;
}

/** Create requests payment refused by its own load shedding, by `reason` (apps/payment admission). */
export const SHED_METRIC = 'keel_http_shed_total';

const READ_TIMEOUT_MS = 2_000;

/** The shed counter's samples in a Prometheus text exposition, by their `reason` label. */
export function shedCountsByReason(exposition: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${SHED_METRIC}{`)) continue;
    const reason = /reason="([^"]*)"/.exec(line)?.[1] ?? 'unlabelled';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) counts[reason] = (counts[reason] ?? 0) + value;
  }
  return counts;
}

/**
 * Payment's sheds summed over every payment process of a drill. A process's counter starts at 0 and
 * is gone with it, so each instance is read right before the drill stops or kills it, and every
 * instance once more at the end; sheds in the few milliseconds between a read and the signal, and
 * during a drain, are not counted.
 */
export class PaymentSheds {
  private readonly totals: Record<string, number> = {};
  private unreadable = 0;

  /** `operatorAuthorization`: a viewer's, for /metrics (a fresh token each read). */
  constructor(private readonly operatorAuthorization: () => string) {}

  async record(instanceUrl: string): Promise<void> {
    try {
      const response = await fetch(`${instanceUrl}/metrics`, {
        headers: { authorization: this.operatorAuthorization() },
        signal: AbortSignal.timeout(READ_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
      for (const [reason, count] of Object.entries(shedCountsByReason(await response.text())))
        this.totals[reason] = (this.totals[reason] ?? 0) + count;
    } catch {
      this.unreadable += 1;
    }
  }

  summary(): { readonly byReason: Readonly<Record<string, number>>; readonly unreadable: number } {
    return { byReason: { ...this.totals }, unreadable: this.unreadable };
  }
}

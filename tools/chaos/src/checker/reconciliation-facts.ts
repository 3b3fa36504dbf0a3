/**
 * Reconciliation's verdict on a chaos run, for I6: each PSP's settlement file of every day the run
 * touched, run through `POST /v1/reconciliation/runs` as an operator, and the discrepancies left
 * open afterwards.
 */

/** A PSP's zone is at most 14 hours from UTC: the UTC dates this far around the run hold each PSP's days. */
const ZONE_OFFSET_MS_MAX = 14 * 3_600_000;
const DAY_MS = 86_400_000;
/** A run waits for reconciliation's view (up to its RECON_VIEW_CATCH_UP_TIMEOUT_MS), downloads and matches. */
const RUN_TIMEOUT_MS = 120_000;
const DISCREPANCY_PAGE_SIZE = 200;
/** Pages of open discrepancies read at most: a clean run has none. */
const DISCREPANCY_PAGES_MAX = 10;
/** The problem a run is refused with for a day not yet begun in the PSP's zone. */
const DATE_IN_FUTURE = 'settlement-date-in-future';

/** One run of one PSP's day, as its answer reports it. */
export interface ReconciliationRunFact {
  readonly psp: string;
  readonly date: string;
  /** `completed`; `failed` with `problem`. */
  readonly status: string;
  readonly problem?: string;
  /** Discrepancies matching found on the day (open or left open by a person). */
  readonly discrepanciesFound: number;
  /** Currencies whose ledger clearing movements and file net differ without a late row (`timing`) to explain it. */
  readonly clearingUnexplained: readonly string[];
  /** The view had not consumed Keel's topics when the run began. */
  readonly walletsLagging: boolean;
  readonly walletsAgree: boolean;
}

/** A discrepancy still open once every run is done. */
export interface OpenDiscrepancy {
  readonly psp: string;
  readonly date: string;
  readonly class: string;
  readonly matchKey: string;
  readonly reason: string;
}

export interface ReconciliationFacts {
  readonly runs: readonly ReconciliationRunFact[];
  readonly openDiscrepancies: readonly OpenDiscrepancy[];
}

export interface ReconciliationSources {
  readonly reconciliationUrl: string;
  readonly psps: readonly string[];
  /** `Authorization` of an operator of `role` (a fresh token each call). */
  readonly operatorAuthorization: (role: 'operator' | 'viewer') => string;
}

/** Every UTC date from `fromMs` − 14 h to `toMs` + 14 h: in any zone, the days the run touched are among them. */
export function candidateDates(fromMs: number, toMs: number): string[] {
  const dates: string[] = [];
  const lastDay = Math.floor((toMs + ZONE_OFFSET_MS_MAX) / DAY_MS);
  for (let day = Math.floor((fromMs - ZONE_OFFSET_MS_MAX) / DAY_MS); day <= lastDay; day += 1) {
    dates.push(new Date(day * DAY_MS).toISOString().slice(0, 10));
  }
  return dates;
}

interface RunAnswer {
  status: string;
  /** A problem's type URI, its code last. */
  type?: string;
  summary?: {
    matching?: { counts: Record<string, number>; discrepancies: { found: number } };
    threeWayCheck?: {
      pspClearing: { currency: string; agrees: boolean }[];
      wallets: { lagging: boolean; agrees: boolean };
    };
  };
}

/**
 * Runs each PSP's days one after the other (as the daily schedule would, and so the checker does not
 * load the system it checks); a day not yet begun in a PSP's zone is skipped, as it can hold nothing.
 * A day where one run failed is a fact too: I6 names it.
 */
export async function reconcileRunDays(
  sources: ReconciliationSources,
  fromMs: number,
  toMs: number,
): Promise<ReconciliationFacts> {
  const runs: ReconciliationRunFact[] = [];
  for (const psp of sources.psps) {
    for (const date of candidateDates(fromMs, toMs)) {
      const response = await fetch(`${sources.reconciliationUrl}/v1/reconciliation/runs`, {
        method: 'POST',
        headers: {
          authorization: sources.operatorAuthorization('operator'),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ psp, date }),
        signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
      });
      const answer = (await response.json()) as RunAnswer;
      if (problemCodeOf(answer) === DATE_IN_FUTURE) continue;
      runs.push(runFactOf(psp, date, response.status, answer));
    }
  }
  return { runs, openDiscrepancies: await openDiscrepanciesOf(sources) };
}

function runFactOf(psp: string, date: string, httpStatus: number, answer: RunAnswer): ReconciliationRunFact {
  const { matching, threeWayCheck } = answer.summary ?? {};
  if (httpStatus !== 201 || matching === undefined || threeWayCheck === undefined) {
    return {
      psp,
      date,
      status: 'failed',
      problem: problemCodeOf(answer) ?? `HTTP ${httpStatus}`,
      discrepanciesFound: 0,
      clearingUnexplained: [],
      walletsLagging: false,
      walletsAgree: false,
    };
  }
  // A late row settles on its file's day what the ledger recorded the day before: the day's
  // clearing totals differ by it, and matching calls it `timing`.
  const timing = (matching.counts.timing ?? 0) > 0;
  return {
    psp,
    date,
    status: answer.status,
    discrepanciesFound: matching.discrepancies.found,
    clearingUnexplained: timing
      ? []
      : threeWayCheck.pspClearing.filter((leg) => !leg.agrees).map((leg) => leg.currency),
    walletsLagging: threeWayCheck.wallets.lagging,
    walletsAgree: threeWayCheck.wallets.agrees,
  };
}

function problemCodeOf(answer: RunAnswer): string | undefined {
  return answer.type?.split('/').at(-1);
}

async function openDiscrepanciesOf(sources: ReconciliationSources): Promise<OpenDiscrepancy[]> {
  const open: OpenDiscrepancy[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < DISCREPANCY_PAGES_MAX; page += 1) {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const response = await fetch(
      `${sources.reconciliationUrl}/v1/reconciliation/discrepancies?status=open&limit=${DISCREPANCY_PAGE_SIZE}${query}`,
      {
        headers: { authorization: sources.operatorAuthorization('viewer') },
        signal: AbortSignal.timeout(10_000),
      },
    );
    if (!response.ok) throw new Error(`GET /v1/reconciliation/discrepancies answered ${response.status}`);
    const body = (await response.json()) as {
      data: { psp: string; date: string; class: string; matchKey: string; reason: string }[];
      nextCursor: string | null;
    };
    open.push(
      ...body.data.map(({ psp, date, matchKey, reason, ...rest }) => ({
        psp,
        date,
        class: rest.class,
        matchKey,
        reason,
      })),
    );
    cursor = body.nextCursor;
    if (cursor === null) break;
  }
  return open;
}

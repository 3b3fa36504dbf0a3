import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { COLUMNS, discrepancyOf, type DiscrepancyRow } from '../discrepancies/discrepancy.repository';
import {
  RECONCILIATION_ACTOR,
  WALLET_LEDGER_MISMATCH,
  type Discrepancy,
  type DiscrepancyDraft,
} from '../discrepancies/discrepancy';

/** Runs of several PSPs end at once: their wallet legs take turns, so one currency's discrepancy opens once. */
const WALLET_LEG_LOCK_KEY = 'keel.reconciliation.wallet-ledger';

/**
 * The wallet leg's discrepancies: Keel's as a whole, not a PSP's day, so they are found and
 * resolved by key across every PSP and day (`discrepancies_wallet_ledger_open_once` keeps one open
 * per key); new ones are stored by DiscrepancyRepository.upsert under the run's PSP and day.
 */
@Injectable()
export class WalletLedgerDiscrepancies {
  /** Holds the wallet leg's turn until the run's transaction ends. */
  async takeTurn(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [WALLET_LEG_LOCK_KEY]);
  }

  /** Gives the open discrepancies of these keys the run's data; answers the keys it found open. */
  async refreshOpen(
    manager: EntityManager,
    runId: string,
    drafts: readonly DiscrepancyDraft[],
  ): Promise<Set<string>> {
    if (drafts.length === 0) return new Set();
    const [rows] = (await manager.query(
      `UPDATE discrepancies d SET keel_data = u.keel_data, psp_data = u.psp_data, reason = u.reason,
         money_at_risk_minor = u.money_at_risk_minor, last_run_id = $1
       FROM unnest($2::text[], $3::jsonb[], $4::jsonb[], $5::text[], $6::bigint[])
         AS u(match_key, keel_data, psp_data, reason, money_at_risk_minor)
       WHERE d.class = '${WALLET_LEDGER_MISMATCH}' AND d.status = 'open' AND d.match_key = u.match_key
       RETURNING d.match_key`,
      [
        runId,
        drafts.map((draft) => draft.matchKey),
        drafts.map((draft) => JSON.stringify(draft.keel)),
        drafts.map((draft) => JSON.stringify(draft.pspSide)),
        drafts.map((draft) => draft.reason),
        drafts.map((draft) => draft.moneyAtRiskMinor.toString()),
      ],
    )) as [{ match_key: string }[], number];
    return new Set(rows.map((row) => row.match_key));
  }

  /** Resolves, as reconciliation, the open ones whose key the run no longer finds differing. */
  async resolveAgreeing(
    manager: EntityManager,
    runId: string,
    differingKeys: readonly string[],
  ): Promise<Discrepancy[]> {
    const [rows] = (await manager.query(
      `UPDATE discrepancies SET status = 'resolved', resolved_at = now(), resolved_by = '${RECONCILIATION_ACTOR}',
         resolution_note = $1
       WHERE class = '${WALLET_LEDGER_MISMATCH}' AND status = 'open' AND NOT (match_key = ANY($2::text[]))
       RETURNING ${COLUMNS}`,
      [`run ${runId} finds the wallets and the ledger's seller payables agreeing`, differingKeys],
    )) as [DiscrepancyRow[], number];
    return rows.map(discrepancyOf);
  }
}

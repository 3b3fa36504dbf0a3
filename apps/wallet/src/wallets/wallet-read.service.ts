import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PageRequest } from '@keel/contracts';
import {
  decodeEntryCursor,
  entryPageOf,
  resolvePageLimit,
  WalletError,
  WalletErrorCode,
  type EntryCursor,
} from '@keel/wallet-domain';
import { InvalidWalletQueryError, WalletNotFoundError, WalletProblemCode } from '../wallet.errors';
import { WALLET_SETTINGS, type WalletSettings } from '../wallet.settings';
import { WalletEntryRepository, type WalletEntryRecord } from './wallet-entry.repository';
import { WalletRepository, type WalletBalanceRecord } from './wallet.repository';
import type { WalletBalanceView, WalletEntryView, WalletView } from './wallet.view';

/** Reads a merchant's seller's balances and a page of their entries. */
@Injectable()
export class WalletReadService {
  constructor(
    @Inject(WALLET_SETTINGS) private readonly settings: WalletSettings,
    private readonly dataSource: DataSource,
    private readonly wallets: WalletRepository,
    private readonly entries: WalletEntryRepository,
  ) {}

  async walletOf(merchantId: string, sellerId: string, query: PageRequest): Promise<WalletView> {
    const { limit, cursor } = this.pagingOf(query);
    // One snapshot for both reads, so the balances and the entries shown describe the same moment.
    const { balances, rows } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => ({
      balances: await this.wallets.balancesOf(manager, merchantId, sellerId),
      rows: await this.entries.newestOf(manager, merchantId, sellerId, limit + 1, cursor),
    }));
    if (balances.length === 0) throw new WalletNotFoundError(merchantId, sellerId);
    const page = entryPageOf(rows, limit);
    return {
      merchantId,
      sellerId,
      balances: balances.map(balanceViewOf),
      entries: page.items.map(entryViewOf),
      nextCursor: page.nextCursor,
    };
  }

  private pagingOf(query: PageRequest): { limit: number; cursor: EntryCursor | undefined } {
    try {
      return {
        limit: resolvePageLimit(query.limit, this.settings.entriesPageLimits),
        cursor: query.cursor === undefined ? undefined : decodeEntryCursor(query.cursor),
      };
    } catch (error) {
      if (error instanceof WalletError && error.code === WalletErrorCode.INVALID_CURSOR) {
        throw new InvalidWalletQueryError(WalletProblemCode.InvalidCursor, error.message);
      }
      if (error instanceof WalletError && error.code === WalletErrorCode.INVALID_PAGE_LIMIT) {
        throw new InvalidWalletQueryError(WalletProblemCode.InvalidPageLimit, error.message);
      }
      throw error;
    }
  }
}

function balanceViewOf(record: WalletBalanceRecord): WalletBalanceView {
  return {
    currency: record.balance.currency,
    balance: record.balance.toJSON(),
    version: Number(record.version),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function entryViewOf(record: WalletEntryRecord): WalletEntryView {
  return {
    id: record.id.toString(),
    kind: record.kind,
    amount: record.amount.toJSON(),
    grossAmount: record.grossAmount.toJSON(),
    feeAmount: record.feeAmount.toJSON(),
    paymentOrderId: record.paymentOrderId,
    paymentId: record.paymentId,
    paymentMethodType: record.paymentMethodType,
    balanceAfter: record.balanceAfter.toJSON(),
    createdAt: record.createdAt.toISOString(),
  };
}

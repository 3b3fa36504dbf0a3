import { IsOptional } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import { IsIdentifier, IsTimestamp, NestedPayload } from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { MoneyPayload, PositiveMoneyPayload } from './money.payload';

export const WALLET_EVENT_TYPES = {
  credited: 'keel.wallet.credited.v1',
} as const;

export class WalletCreditedPayload {
  /**
   * The merchant whose seller this is: a wallet is one merchant's seller's, so two merchants'
   * sellers with the same id have separate wallets. `unknown` for a wallet opened before wallets
   * were scoped to merchants; absent only from events of wallet versions that predate it
   * (optional, so that v1 stays compatible).
   */
  @IsOptional()
  @IsIdentifier()
  merchantId?: string;

  @IsIdentifier()
  sellerId!: string;

  /** The payment order whose charge this credit pays out; a seller is credited once per order. */
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  /** The seller's balance in this currency after the credit; signed, as later debits may exceed it. */
  @NestedPayload(() => MoneyPayload)
  balance!: MoneyPayload;

  @IsTimestamp()
  creditedAt!: string;
}

export const WALLET_EVENT_DEFINITIONS = [
  defineEventType({
    type: WALLET_EVENT_TYPES.credited,
    topic: TOPICS.wallet,
    payload: WalletCreditedPayload,
    subject: 'sellerId',
    visibility: 'public',
    description: "A merchant's seller's wallet was credited with the charge of one payment order.",
  }),
];

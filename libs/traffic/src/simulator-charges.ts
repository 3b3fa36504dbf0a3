export interface SimulatorCharge {
  readonly psp: string;
  readonly idempotencyKey: string;
  readonly status: string;
  readonly attempts: number;
}

export interface ChargeTruth {
  readonly chargedOrders: number;
  readonly ordersChargedMoreThanOnce: number;
  readonly chargesByPsp: Readonly<Record<string, number>>;
}

/** Every charge psp-sim holds (`GET /admin/charges`), across its PSPs. */
export async function simulatorCharges(simUrl: string): Promise<SimulatorCharge[]> {
  return (await (await fetch(`${simUrl}/admin/charges`)).json()) as SimulatorCharge[];
}

/** The simulator's ground truth: approved charges per idempotency key (= payment order id), at any PSP. */
export function chargeTruth(charges: readonly SimulatorCharge[]): ChargeTruth {
  const perKey = new Map<string, number>();
  const chargesByPsp: Record<string, number> = {};
  for (const charge of charges.filter((candidate) => candidate.status === 'approved')) {
    perKey.set(charge.idempotencyKey, (perKey.get(charge.idempotencyKey) ?? 0) + 1);
    chargesByPsp[charge.psp] = (chargesByPsp[charge.psp] ?? 0) + 1;
  }
  return {
    chargedOrders: perKey.size,
    ordersChargedMoreThanOnce: [...perKey.values()].filter((count) => count > 1).length,
    chargesByPsp,
  };
}

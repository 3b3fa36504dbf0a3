import { join } from 'node:path';
import { Client } from 'pg';
import { buildEnvelope, PAYMENT_ORDER_EVENT_TYPES, type EventEnvelope } from '@keel/contracts';
import { resolveEndpoints, stateDirectory, workspaceRoot } from '@keel/local-infra';
import {
  freePort,
  KeelSystem,
  PSP_IDS,
  SYSTEM_PROCESSES,
  type PspId,
  type PspSimProcess,
  type SystemProcessName,
} from '@keel/local-system';
import { createTestDatabase, waitFor, type TestDatabase, type TestNamespace } from '@keel/testing';

/**
 * The services reconciliation's automatic fixes ask for work (the executor refunds, the ledger
 * journals) and the wallet the three-way check compares with the ledger, each a process of its own
 * from source on a fresh database, on the topic namespace of the reconciliation under test.
 */
const SERVICES = ['ledger', 'wallet', 'executor'] as const satisfies readonly SystemProcessName[];

/** A card order as the payment service asks the executor to charge it. */
export interface CardOrder {
  readonly paymentOrderId: string;
  readonly amountMinor: number;
  readonly platformFeeMinor: number;
}

export class KeelServices {
  private constructor(
    private readonly system: KeelSystem,
    private readonly databases: ReadonlyMap<SystemProcessName, TestDatabase>,
    private readonly ledgerClient: Client,
  ) {}

  static async start(namespace: TestNamespace, simulator: PspSimProcess): Promise<KeelServices> {
    const databases = new Map<SystemProcessName, TestDatabase>();
    for (const service of SERVICES) databases.set(service, await createTestDatabase(`fixes_${service}`));
    const ports = {} as Record<SystemProcessName, number>;
    for (const name of SYSTEM_PROCESSES) ports[name] = await freePort();
    // Every PSP psp-sim simulates, the one process serving each on its own port.
    const pspPorts = Object.fromEntries(PSP_IDS.map((psp) => [psp, simulator.ports[psp]])) as Record<
      PspId,
      number
    >;
    let system: KeelSystem | undefined;
    try {
      system = await KeelSystem.start({
        root: workspaceRoot(),
        postgresUrl: resolveEndpoints().databaseUrl,
        databaseOf: (service) => databases.get(service)?.name ?? `keel_${service}`,
        kafkaBrokers: namespace.brokers,
        topicNamespace: namespace.namespace,
        ports,
        pspPorts,
        logDirectory: join(stateDirectory(), 'logs', 'recon-fixes', namespace.namespace),
        logLevel: 'warn',
        only: SERVICES,
        environment: { SHUTDOWN_DRAIN_DELAY_MS: '0' },
      });
      const ledgerClient = new Client({ connectionString: databases.get('ledger')?.url });
      await ledgerClient.connect();
      return new KeelServices(system, databases, ledgerClient);
    } catch (error) {
      await system?.stop();
      for (const database of databases.values()) await database.drop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.ledgerClient.end();
    await this.system.stop();
    for (const database of this.databases.values()) await database.drop();
  }

  /** Routes every card to `psp` (the executor's PUT /v1/routes, as an operator). */
  async routeCardsTo(psp: PspId): Promise<void> {
    const response = await fetch(`${this.system.url('executor')}/v1/routes`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: this.system.operatorAuthorization('operator'),
      },
      body: JSON.stringify({
        routes: [{ methodType: 'card', provider: '*', pspId: psp, weight: 100, enabled: true }],
      }),
    });
    if (response.status !== 200) throw new Error(`PUT /v1/routes answered ${response.status}`);
  }

  /** Waits until the executor holds every one of these orders as succeeded. */
  async succeeded(paymentOrderIds: readonly string[]): Promise<void> {
    await waitFor(
      async () => {
        for (const id of paymentOrderIds) {
          const response = await fetch(`${this.system.url('executor')}/v1/payment-orders/${id}`, {
            headers: { authorization: this.system.operatorAuthorization('viewer') },
          });
          if (
            response.status !== 200 ||
            ((await response.json()) as { status: string }).status !== 'succeeded'
          )
            return false;
        }
        return true;
      },
      { timeoutMs: 60_000, description: `the executor's success of ${paymentOrderIds.length} orders` },
    );
  }

  /** Rows of the ledger's own database (read as its administrator). */
  async ledgerRows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.ledgerClient.query(sql, parameters)).rows as T[];
  }
}

/** The execution requests of these orders, by a card the simulator approves, as the payment service sends them. */
export function executionRequests(orders: readonly CardOrder[]): EventEnvelope[] {
  return orders.map((order) =>
    buildEnvelope({
      type: PAYMENT_ORDER_EVENT_TYPES.executionRequested,
      source: '/keel/payment',
      data: {
        paymentOrderId: order.paymentOrderId,
        paymentId: `pay_${order.paymentOrderId}`,
        merchantId: 'merchant-fixes',
        sellerId: 'seller-fixes',
        amount: { amountMinor: String(order.amountMinor), currency: 'KRW' },
        paymentMethod: { type: 'card', provider: 'shinhan' },
        instrumentToken: 'tok_approve',
        platformFee: { amountMinor: String(order.platformFeeMinor), currency: 'KRW' },
        requestedAt: new Date().toISOString(),
      },
    }),
  );
}

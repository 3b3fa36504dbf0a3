import { resolveEndpoints } from '@keel/local-infra';
import { operatorAuthorizationFor, startIsolatedSystem } from '@keel/local-system';
import { createKafkajsClient, DEFAULT_KAFKA_TIMEOUTS, silentLogger, type KafkaClient } from '@keel/messaging';
import type { DrillPaymentApi } from '@keel/traffic';
import type { RunningSystem } from './drill-options';
import type { KeelEndpoints } from './keel-reads';

/** The merchant whose checkouts the drills send. */
export const DRILL_MERCHANT_ID = 'merchant_drill';

/** The system a drill runs against: how to reach it, and how to let go of it afterwards. */
export interface DrillSystem {
  readonly keel: KeelEndpoints;
  readonly payment: DrillPaymentApi;
  readonly kafka: KafkaClient;
  readonly topicNamespace: string;
  /** One line for the report: which system this was. */
  readonly description: string;
  stop(): Promise<void>;
}

/** Every Keel service, ops and psp-sim of its own, on fresh databases and topics; stopped afterwards. */
export async function isolatedDrillSystem(): Promise<DrillSystem> {
  const isolated = await startIsolatedSystem({ label: 'drill' });
  const { system, namespace } = isolated;
  try {
    return {
      keel: {
        paymentUrl: system.url('payment'),
        executorUrl: system.url('executor'),
        opsUrl: system.url('ops'),
        pspSimUrl: system.url('psp-sim'),
        viewer: () => system.operatorAuthorization('viewer'),
      },
      payment: { url: system.url('payment'), apiKey: await system.keys().keyFor(DRILL_MERCHANT_ID) },
      kafka: namespace.kafka,
      topicNamespace: namespace.namespace,
      description:
        'an isolated Keel (every service incl. ops, and psp-sim, as separate processes on fresh databases and topics; default settings)',
      stop: () => isolated.stop(),
    };
  } catch (error) {
    await isolated.stop();
    throw error;
  }
}

/** A Keel already running: its operator tokens from OPERATOR_TOKEN_SECRET (or the local one). */
export function runningDrillSystem(running: RunningSystem): DrillSystem {
  const kafka = createKafkajsClient(
    { brokers: resolveEndpoints().kafkaBrokers, clientId: 'keel-drill', ...DEFAULT_KAFKA_TIMEOUTS },
    silentLogger,
  );
  return {
    keel: {
      paymentUrl: running.paymentUrl,
      executorUrl: running.executorUrl,
      opsUrl: running.opsUrl,
      pspSimUrl: running.pspSimUrl,
      viewer: () => operatorAuthorizationFor(process.env, 'viewer', 'keel-drill'),
    },
    payment: { url: running.paymentUrl, apiKey: running.apiKey },
    kafka,
    topicNamespace: running.topicNamespace,
    description: `a running Keel (payment ${running.paymentUrl}, ops ${running.opsUrl})`,
    stop: async () => undefined,
  };
}

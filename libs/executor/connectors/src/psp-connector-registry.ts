import { AcmeConnector, type AcmeSettings } from './acme/acme.connector';
import { NovaConnector, type NovaSettings } from './nova/nova.connector';
import { PspConfigurationError, PspErrorCode } from './psp.error';
import type { PspConnector } from './psp-connector';
import { SwiftpayConnector, type SwiftpaySettings } from './swiftpay/swiftpay.connector';

export const PSP_IDS = ['acme', 'nova', 'swiftpay'] as const;
export type PspId = (typeof PSP_IDS)[number];

/** Settings of every connector; a PSP is configured exactly when its settings are present. */
export interface PspConnectorsSettings {
  readonly acme?: AcmeSettings;
  readonly nova?: NovaSettings;
  readonly swiftpay?: SwiftpaySettings;
}

/** The configured connectors by PSP id. */
export class PspConnectorRegistry {
  private readonly connectors: ReadonlyMap<string, PspConnector>;

  constructor(connectors: readonly PspConnector[]) {
    const byId = new Map<string, PspConnector>();
    for (const connector of connectors) {
      if (byId.has(connector.pspId)) {
        throw new PspConfigurationError(connector.pspId, PspErrorCode.InvalidSettings, 'configured twice');
      }
      byId.set(connector.pspId, connector);
    }
    this.connectors = byId;
  }

  has(pspId: string): boolean {
    return this.connectors.has(pspId);
  }

  /** Throws PspConfigurationError for a PSP that is not configured. */
  get(pspId: string): PspConnector {
    const connector = this.connectors.get(pspId);
    if (connector === undefined) {
      throw new PspConfigurationError(pspId, PspErrorCode.UnknownPsp, 'no connector is configured');
    }
    return connector;
  }

  pspIds(): string[] {
    return [...this.connectors.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.connectors.values()].map((connector) => connector.close()));
  }
}

function connectorOf(pspId: PspId, settings: PspConnectorsSettings): PspConnector | undefined {
  switch (pspId) {
    case 'acme':
      return settings.acme === undefined ? undefined : new AcmeConnector(settings.acme);
    case 'nova':
      return settings.nova === undefined ? undefined : new NovaConnector(settings.nova);
    case 'swiftpay':
      return settings.swiftpay === undefined ? undefined : new SwiftpayConnector(settings.swiftpay);
    default: {
      const unreachable: never = pspId;
      throw new PspConfigurationError(String(unreachable), PspErrorCode.UnknownPsp, 'no connector exists');
    }
  }
}

/** Builds a connector for every PSP with settings; each validates its settings as it is made. */
export function createPspConnectors(settings: PspConnectorsSettings): PspConnectorRegistry {
  return new PspConnectorRegistry(
    PSP_IDS.map((pspId) => connectorOf(pspId, settings)).filter((connector) => connector !== undefined),
  );
}

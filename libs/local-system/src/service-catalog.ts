/** The deployables a local Keel runs, in start order: the PSP simulator first, payment last. */
export const SYSTEM_PROCESSES = [
  'psp-sim',
  'ledger',
  'wallet',
  'executor',
  'reconciliation',
  'ops',
  'payment',
] as const;
export type SystemProcessName = (typeof SYSTEM_PROCESSES)[number];

/** The Keel services proper: each owns the database `keel_<name>`. */
export const KEEL_SERVICES = ['payment', 'executor', 'wallet', 'ledger', 'reconciliation', 'ops'] as const;
export type KeelServiceName = (typeof KEEL_SERVICES)[number];

/** Default local ports (`npm start`); tests take free ports instead. */
export const DEFAULT_PORTS: Readonly<Record<SystemProcessName, number>> = {
  payment: 3001,
  executor: 3002,
  wallet: 3003,
  ledger: 3004,
  reconciliation: 3005,
  ops: 3006,
  'psp-sim': 3010,
};

/** The simulator's per-PSP ports (apps/psp-sim/API.md), which an outage fault can close. */
export const PSP_IDS = ['acme', 'nova', 'swiftpay'] as const;
export type PspId = (typeof PSP_IDS)[number];
export const DEFAULT_PSP_PORTS: Readonly<Record<PspId, number>> = { acme: 3011, nova: 3012, swiftpay: 3013 };

export function isKeelService(name: SystemProcessName): name is KeelServiceName {
  return (KEEL_SERVICES as readonly string[]).includes(name);
}

/** A port from `KEEL_<NAME>_PORT`, else the default. */
export function configuredPort(
  name: string,
  fallback: number,
  environment: NodeJS.ProcessEnv = process.env,
): number {
  const raw = environment[`KEEL_${name.toUpperCase().replace(/-/g, '_')}_PORT`];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`invalid port for ${name}: ${raw}`);
  return port;
}

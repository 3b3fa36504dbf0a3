/** The deployables `npm start` runs, with their default local ports (override: KEEL_<NAME>_PORT). */
export interface ServiceEntry {
  name: string;
  defaultPort: number;
  /** The service's own database, or none. */
  database?: string;
}

export const SERVICES: readonly ServiceEntry[] = [
  { name: 'payment', defaultPort: 3001, database: 'keel_payment' },
  { name: 'executor', defaultPort: 3002, database: 'keel_executor' },
  { name: 'wallet', defaultPort: 3003, database: 'keel_wallet' },
  { name: 'ledger', defaultPort: 3004, database: 'keel_ledger' },
  { name: 'reconciliation', defaultPort: 3005, database: 'keel_reconciliation' },
  { name: 'ops', defaultPort: 3006, database: 'keel_ops' },
];

export function portOf(service: ServiceEntry, environment: NodeJS.ProcessEnv = process.env): number {
  const raw = environment[`KEEL_${service.name.toUpperCase().replace(/-/g, '_')}_PORT`];
  if (raw === undefined || raw === '') return service.defaultPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`invalid port for ${service.name}: ${raw}`);
  return port;
}

import { randomBytes } from 'node:crypto';
import { startIsolatedSystem, type IsolatedSystem } from '@keel/local-system';

export type SecuritySystem = IsolatedSystem & {
  /** Names this system's databases (`keel_t_<label>_<service>_…`) and its log directory. */
  readonly label: string;
};

/**
 * What every security spec runs against: a revoked key is refused at once (no verdict is cached),
 * so a test need not wait out API_KEY_CACHE_TTL_MS.
 */
export const SECURITY_ENVIRONMENT: NodeJS.ProcessEnv = { API_KEY_CACHE_TTL_MS: '0' };

/**
 * A whole Keel for a security spec, isolated from every other run. Its label is unique, so every
 * database of this system, and none of another's, is found by its name.
 */
export async function startSecuritySystem(environment: NodeJS.ProcessEnv = {}): Promise<SecuritySystem> {
  const label = `security_${randomBytes(4).toString('hex')}`;
  const system = await startIsolatedSystem({
    label,
    environment: { ...SECURITY_ENVIRONMENT, ...environment },
  });
  return { ...system, label };
}

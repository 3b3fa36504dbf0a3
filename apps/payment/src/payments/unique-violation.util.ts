const UNIQUE_VIOLATION = '23505';

/** The constraint a PostgreSQL unique violation names, or undefined for any other error. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // TypeORM's QueryFailedError copies the driver's fields onto itself and keeps the original too.
  const candidates = [error, (error as { driverError?: unknown }).driverError];
  for (const candidate of candidates) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const { code, constraint } = candidate as { code?: unknown; constraint?: unknown };
    if (code === UNIQUE_VIOLATION) return typeof constraint === 'string' ? constraint : '';
  }
  return undefined;
}

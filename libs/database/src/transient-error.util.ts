/**
 * Errors after which the same work may succeed if simply tried again: the connection or the
 * server went away, or the database asked us to retry (serialization failure, deadlock).
 * Everything else is a fault of the work itself and retrying it changes nothing.
 */
const TRANSIENT_SQLSTATE_PREFIXES = ['08', '53', '57P'];
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  // TypeORM releases a query runner whose connection failed while it held it (a terminated backend
  // between two statements of a transaction); the next statement says so instead of the cause.
  'Query runner already released',
];

export function isTransientDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, driverError } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
  };
  if (driverError !== undefined && driverError !== error && isTransientDatabaseError(driverError))
    return true;
  if (typeof code === 'string') {
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code)) return true;
    if (TRANSIENT_SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
  }
  return typeof message === 'string' && TRANSIENT_MESSAGES.some((text) => message.includes(text));
}
